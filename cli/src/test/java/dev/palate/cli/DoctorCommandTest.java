package dev.palate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.palate.engine.NativeRuntime;
import dev.palate.engine.ThreadPools;

class DoctorCommandTest {
    private static final Pattern THREADS =
            Pattern.compile("threads +libtorch intra-op (\\d+), libtorch inter-op (\\d+), OpenBLAS (\\d+), cores (\\d+)");

    private static String doctor(String... extra) {
        String[] args = new String[extra.length + 1];
        args[0] = "doctor";
        System.arraycopy(extra, 0, args, 1, extra.length);
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Fixtures.cli(args));
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void doctorReportsTheEffectiveSizeOfEveryPoolAndTheOmpWaitPolicy() {
        String out = doctor();
        Matcher m = THREADS.matcher(out);
        assertTrue(m.find(), out);
        ThreadPools pools = NativeRuntime.threadPools();
        assertEquals(pools.intraOp(), Integer.parseInt(m.group(1)));
        assertEquals(pools.interOp(), Long.parseLong(m.group(2)));
        assertEquals(pools.openblas(), Integer.parseInt(m.group(3)));
        // surefire sets OMP_WAIT_POLICY=PASSIVE (root pom), as the ./palate launcher does
        assertTrue(out.contains("omp wait policy PASSIVE"), out);
    }

    @Test
    void doctorThreadsOptionSizesLibtorchAndOpenBlasTogether() {
        int before = NativeRuntime.threadPools().intraOp();
        try {
            Matcher m = THREADS.matcher(doctor("--threads", "1"));
            assertTrue(m.find());
            assertEquals("1", m.group(1), "intra-op");
            assertEquals("1", m.group(3), "OpenBLAS");
        } finally {
            NativeRuntime.setThreads(before);
        }
    }
}
