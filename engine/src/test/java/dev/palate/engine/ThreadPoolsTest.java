package dev.palate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThreadPoolsTest {
    @Test
    void setThreadsSizesLibtorchAndOpenBlasTogether() {
        ThreadPools before = NativeRuntime.threadPools();
        try {
            for (int n : new int[] {1, 3, 2}) {
                NativeRuntime.setThreads(n);
                ThreadPools now = NativeRuntime.threadPools();
                assertEquals(n, now.intraOp(), "libtorch intra-op after setThreads(" + n + ")");
                assertEquals(NativeRuntime.openblasThreadsFor(n), now.openblas(), "OpenBLAS pool after setThreads(" + n + ")");
            }
        } finally {
            NativeRuntime.setThreads(before.intraOp());
        }
    }

    @Test
    void openBlasIsSizedAtLoadFromLibtorchsIntraOpCount() {
        ThreadPools pools = NativeRuntime.threadPools();
        assertTrue(pools.intraOp() >= 1 && pools.interOp() >= 1, pools.toString());
        if (System.getenv("OPENBLAS_NUM_THREADS") == null)
            assertEquals(NativeRuntime.openblasThreadsFor(pools.intraOp()), pools.openblas(), pools.toString());
    }

    @Test
    void surefireRunsWithAPassiveOpenMpWaitPolicy() {
        // the root pom puts OMP_WAIT_POLICY=PASSIVE in the forked JVM's environment, as ./palate does
        assertTrue(NativeRuntime.threadPools().ompPassive(), NativeRuntime.threadPools().toString());
    }

    @Test
    void setThreadsRefusesZero() {
        assertThrows(IllegalArgumentException.class, () -> NativeRuntime.setThreads(0));
    }
}
