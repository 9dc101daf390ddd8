package dev.palate.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Definitions pinned to known values (numpy.percentile / numpy.std(ddof=1) results, Wilson tables). */
class SummaryTest {
    @Test
    void percentilesAreNumpyLinearAndStdIsSampleStd() {
        Summary s = Summary.of(new double[] {4, 1, 3, 2}, null);
        // numpy.percentile([1,2,3,4], [10,50,90]) = [1.3, 2.5, 3.7]; numpy.std(..., ddof=1) = sqrt(5/3)
        assertEquals(1.3, s.p10(), 1e-12);
        assertEquals(2.5, s.median(), 1e-12);
        assertEquals(3.7, s.p90(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3.0), s.std(), 1e-12);
        assertEquals(2.5, s.mean(), 1e-12);
        assertTrue(Double.isNaN(s.shareGood()));
    }

    @Test
    void oneValueHasNoStdAndNoValuesHaveNoStatistics() {
        Summary one = Summary.of(new double[] {7}, null);
        assertEquals(7, one.p10());
        assertEquals(7, one.p90());
        assertTrue(Double.isNaN(one.std()));
        Summary none = Summary.of(new double[0], null);
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.mean()));
    }

    @Test
    void goodThresholdsParseBothDirectionsAndDefaultsFollowTheTable() {
        GoodThreshold ge = GoodThreshold.parse("aesthetic-v2>=6");
        assertEquals("aesthetic-v2", ge.metric());
        assertTrue(ge.isGood(6.0));
        GoodThreshold le = GoodThreshold.parse("style-loss<=0.02");
        assertTrue(le.isGood(0.02));
        assertTrue(!le.isGood(0.021));
        assertTrue(!GoodThreshold.parse("hpsv2.1>0.3").isGood(0.3));
        assertThrows(IllegalArgumentException.class, () -> GoodThreshold.parse("aesthetic=6"));
        assertEquals(6.0, MetricDirections.defaultThreshold("aesthetic-v1").orElseThrow().value());
        assertTrue(MetricDirections.defaultThreshold("pickscore").isEmpty());
        assertEquals(Direction.LOWER_IS_BETTER, MetricDirections.direction("fid"));
        assertEquals(Direction.HIGHER_IS_BETTER, MetricDirections.direction("my-new-metric"));
        Summary s = Summary.of(new double[] {5.9, 6.0, 6.5, 4}, GoodThreshold.parse("a>=6"));
        assertEquals(2, s.good());
        assertEquals(0.5, s.shareGood());
    }

    @Test
    void wilsonIntervalMatchesTheTabulatedValueForFiveOfTen() {
        WilsonInterval w = WilsonInterval.of(5, 10);
        // Wilson 95% for 5/10: [0.2366, 0.7634]
        assertEquals(0.236593090512564, w.low(), 1e-12);
        assertEquals(0.7634069094874361, w.high(), 1e-12);
    }
}
