package dev.palate.models.judges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

/** Python's int()/float() and DiffSynth's _coerce_float/_mean (expectations from CPython 3.11). */
class PyNumbersTest {

    @Test
    void intFollowsPythonsRules() {
        assertEquals(BigInteger.valueOf(12), PyNumbers.pyInt(" \u3000١٢ "));
        assertEquals(BigInteger.valueOf(10), PyNumbers.pyInt("1_0"));
        assertEquals(BigInteger.valueOf(-7), PyNumbers.pyInt("-007"));
        assertEquals(BigInteger.valueOf(-2), PyNumbers.pyInt(-2.9));
        assertEquals(BigInteger.ONE, PyNumbers.pyInt(true));
        for (String bad : new String[] {"", " ", "1.5", "1__0", "_1", "1_", "+", "1e3", "٤.0"})
            assertEquals("ValueError", assertThrows(PyException.class, () -> PyNumbers.pyInt(bad), bad).type());
        assertEquals("ValueError", assertThrows(PyException.class, () -> PyNumbers.pyInt(Double.NaN)).type());
        assertEquals("OverflowError", assertThrows(PyException.class, () -> PyNumbers.pyInt(Double.NEGATIVE_INFINITY)).type());
        assertEquals("TypeError", assertThrows(PyException.class, () -> PyNumbers.pyInt(null)).type());
    }

    @Test
    void coerceFloatReadsTheFirstNumberWithUnicodeDigits() {
        assertEquals(3.5, DiffSynthNumbers.coerceFloat("３.５"));
        assertEquals(20.0, DiffSynthNumbers.coerceFloat("20/25"));
        assertEquals(0.5, DiffSynthNumbers.coerceFloat("score .5"));
        assertEquals(5.0, DiffSynthNumbers.coerceFloat("5."));
        assertEquals(1.0, DiffSynthNumbers.coerceFloat("1e3"));
        assertEquals(3.3333333333333335, DiffSynthNumbers.coerceFloat("3.333333333333333333"));
        assertEquals(7.0, DiffSynthNumbers.coerceFloat(7L));
        assertNull(DiffSynthNumbers.coerceFloat(true));
        assertNull(DiffSynthNumbers.coerceFloat("none"));
        assertNull(DiffSynthNumbers.coerceFloat(java.util.List.of()));
        assertEquals("OverflowError", assertThrows(PyException.class, () -> DiffSynthNumbers.coerceFloat(BigInteger.TEN.pow(400))).type());
    }

    @Test
    void meanSumsLeftToRightFromZeroAsCPython311() {
        assertEquals(2.9299999999999997, DiffSynthNumbers.mean(java.util.List.of(2.6947, 3.102, 2.9933)));
        assertEquals(0.0, DiffSynthNumbers.mean(java.util.List.of(-0.0))); // 0 + -0.0
        assertNull(DiffSynthNumbers.mean(java.util.Arrays.asList(null, null)));
        // CPython 3.11: sum([0.1] * 10) / 10 == 0.09999999999999999 (3.12's compensated sum would give 0.1)
        assertEquals(0.09999999999999999, DiffSynthNumbers.mean(java.util.Collections.nCopies(10, 0.1)));
    }
}
