package org.reffakd.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reffakd.study.PairedStats.Interval;
import org.reffakd.study.PairedStats.Summary;
import org.reffakd.study.StudyStats.RouteSummary;

/** The statistics of a study: t quantiles, the paired interval, verdicts, grouping and cost. */
class StudyStatsTest {

  @Test
  void powerQuantilesAndTheMinimumDetectableEffectMatchScipy() {
    // scipy.stats.t.ppf(0.8, df) for df = 1, 2, 4, 9, 29
    assertEquals(1.3763819, PairedStats.tQuantile(0.8, 1), 1e-6);
    assertEquals(1.0606602, PairedStats.tQuantile(0.8, 2), 1e-6);
    assertEquals(0.9409646, PairedStats.tQuantile(0.8, 4), 1e-6);
    assertEquals(0.8834039, PairedStats.tQuantile(0.8, 9), 1e-6);
    assertEquals(0.8541920, PairedStats.tQuantile(0.8, 29), 1e-6);
    // (t(0.975, n-1) + t(0.8, n-1)) * sd / sqrt(n): n 3, sd 0.01 -> 0.0309651
    assertEquals(0.0309651, PairedStats.mde(3, 0.01), 1e-7);
    assertEquals(0.0309651, PairedStats.ofDifferences(0.04, 0.05, 0.06).mde(), 1e-7);
    assertTrue(Double.isNaN(PairedStats.mde(1, 0.01)), "one pair: no spread, no mde");
    // seeds to detect 0.3 points: sd 1 pp needs 90 (mde(89) = 0.3003 pp, mde(90) = 0.2986 pp),
    // sd 0.25 pp needs 8; no spread needs the minimum, 2
    assertEquals(90, PairedStats.seedsToDetect(0.003, 0.01));
    assertEquals(8, PairedStats.seedsToDetect(0.003, 0.0025));
    assertEquals(2, PairedStats.seedsToDetect(0.003, 0.0));
    assertEquals(-1, PairedStats.seedsToDetect(0.003, Double.NaN));
    assertEquals(PairedStats.MAX_SEEDS, PairedStats.seedsToDetect(1e-6, 1.0));
  }

  @Test
  void tQuantilesMatchTheTables() {
    // two-sided 95% (0.975 quantile) from any t table
    assertEquals(12.7062, PairedStats.t975(1), 1e-4);
    assertEquals(4.3027, PairedStats.t975(2), 1e-4);
    assertEquals(3.1824, PairedStats.t975(3), 1e-4);
    assertEquals(2.2281, PairedStats.t975(10), 1e-4);
    assertEquals(2.0423, PairedStats.t975(30), 1e-4);
    assertEquals(1.9840, PairedStats.t975(100), 1e-4);
    assertEquals(1.95996, PairedStats.t975(100_000), 1e-4);
    // other quantiles and symmetry
    assertEquals(6.3138, PairedStats.tQuantile(0.95, 1), 1e-4);
    assertEquals(2.7764, PairedStats.tQuantile(0.975, 4), 1e-4);
    assertEquals(-2.7764, PairedStats.tQuantile(0.025, 4), 1e-4);
    assertEquals(3.4995, PairedStats.tQuantile(0.995, 7), 1e-4);
    assertEquals(0.0, PairedStats.tQuantile(0.5, 5), 0);
    assertThrows(IllegalArgumentException.class, () -> PairedStats.t975(0));
  }

  @Test
  void pairedIntervalOnAHandMadeExample() {
    // d = {0.01, 0.02, 0.03, 0.04}: mean 0.025; squared deviations 2.25e-4, 0.25e-4, 0.25e-4,
    // 2.25e-4 sum to 5e-4, / (n-1 = 3) = 1.6667e-4, sd = 0.01290994; t(0.975, 3) = 3.182446;
    // half-width = 3.182446 * 0.01290994 / sqrt(4) = 0.02054260 -> [0.00445740, 0.04554260].
    Interval i = PairedStats.paired(new double[] {0.81, 0.82, 0.83, 0.84},
        new double[] {0.80, 0.80, 0.80, 0.80});
    assertEquals(4, i.n());
    assertEquals(0.025, i.mean(), 1e-12);
    assertEquals(0.0129099, i.std(), 1e-7);
    assertEquals(3.182446, PairedStats.t975(3), 1e-6);
    assertEquals(0.00445740, i.low(), 1e-8);
    assertEquals(0.04554260, i.high(), 1e-8);
    assertEquals("better than ce", PairedStats.verdict(i, "ce"));

    Interval neg = PairedStats.ofDifferences(-0.01, -0.02, -0.03, -0.04);
    assertEquals(-0.00445740, neg.high(), 1e-8);
    assertEquals("worse than ce", PairedStats.verdict(neg, "ce"));

    // {-0.01, 0.02, -0.01}: mean 0, sd sqrt((1e-4 + 4e-4 + 1e-4) / 2) = 0.0173205: holds 0
    Interval zero = PairedStats.ofDifferences(-0.01, 0.02, -0.01);
    assertEquals(0.0, zero.mean(), 1e-12);
    assertEquals(0.0173205, zero.std(), 1e-7);
    assertTrue(zero.low() < 0 && zero.high() > 0);
    assertEquals("no difference detected at this budget", PairedStats.verdict(zero, "ce"));

    Interval one = PairedStats.ofDifferences(0.05);
    assertEquals(1, one.n());
    assertFalse(one.defined());
    assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.high()) && Double.isNaN(one.std()));
    assertEquals("too few paired seeds for an interval (n=1)", PairedStats.verdict(one, "ce"));
  }

  @Test
  void summaryIsMeanAndSampleStd() {
    Summary s = PairedStats.summarize(0.80, 0.81, 0.82, Double.NaN);
    assertEquals(3, s.n());
    assertEquals(0.81, s.mean(), 1e-12);
    assertEquals(0.01, s.std(), 1e-12);
    assertTrue(Double.isNaN(PairedStats.summarize(0.5).std()));
    assertEquals(0, PairedStats.summarize().n());
  }

  @Test
  void jobHelpers() {
    JobResult j = new JobResult("j", "reffakd", "paper",
        new LinkedHashMap<>(Map.of("temperature", "5", "alpha", "0.5")), 1.0, 7,
        List.of(new EpochPoint(1, 0.50, 0.40), new EpochPoint(2, 0.70, 0.60),
            new EpochPoint(3, 0.70, 0.65), new EpochPoint(4, 0.60, 0.66),
            new EpochPoint(5, 0.55, 0.64)),
        true, false, null);
    assertEquals("reffakd/paper/alpha=0.5,temperature=5", j.route());
    assertEquals(2, j.bestValEpoch(), "first epoch on a tie");
    assertEquals(0.60, j.testAtBestVal(), 0);
    assertEquals(0.66, j.bestTest(), 0);
    assertEquals(4, j.bestTestEpoch());
    assertEquals(0.64, j.lastTest(), 0);
    assertEquals("ce", new JobResult("c", "ce", "-", Map.of(), 1, 1, List.of(), false, false,
        null).route());
    JobResult empty = new JobResult("e", "kd", "-", Map.of("temperature", "4"), 1, 1,
        List.of(), false, true, null);
    assertEquals("kd/temperature=4", empty.route());
    assertEquals(-1, empty.bestValEpoch());
    assertTrue(Double.isNaN(empty.testAtBestVal()));
  }

  @Test
  void groupsPairsAndCosts() {
    StudyData data = StudyFixture.data();
    List<RouteSummary> all = StudyStats.summarize(data);
    assertEquals(6, all.size());
    assertEquals("ce", all.get(0).route(), "baseline first");
    assertEquals(0.5, all.get(0).trainFraction(), 0, "fractions ascending");

    RouteSummary ce = find(all, "ce", 1.0);
    assertEquals(List.of(1L, 2L, 3L), ce.seeds());
    assertEquals(0.81, ce.headlineStats().mean(), 1e-12);
    assertEquals(0.01, ce.headlineStats().std(), 1e-12);
    assertEquals(0.82, ce.paperStats().mean(), 1e-12);
    assertEquals("baseline", ce.verdict());
    assertNull(ce.paired());

    RouteSummary r = find(all, StudyFixture.REFFAKD, 1.0);
    // diffs 0.05, 0.06, 0.04: mean 0.05, sd 0.01, half-width 4.302653 * 0.01 / sqrt(3)
    assertEquals(0.05, r.paired().mean(), 1e-12);
    assertEquals(0.01, r.paired().std(), 1e-12);
    assertEquals(0.05 - 0.0248414, r.paired().low(), 1e-7);
    assertEquals("better than ce", r.verdict());
    assertEquals("worse than ce", find(all, StudyFixture.REFFAKD, 0.5).verdict());
    assertEquals("no difference detected at this budget", find(all, "kd/temperature=4", 1.0)
        .verdict());
    RouteSummary kdHalf = find(all, "kd/temperature=4", 0.5);
    assertEquals(1, kdHalf.paired().n());
    assertEquals("too few paired seeds for an interval (n=1)", kdHalf.verdict());

    // student: wall 10, 12, 14 -> 12; autoencoder: wall 30, 50, 40 -> 40; flops 1e12 + 2e12
    assertEquals(12, r.cost().student().wallSeconds(), 1e-12);
    assertEquals(40, r.cost().autoencoderShare().wallSeconds(), 1e-12);
    assertNull(r.cost().teacherShare());
    assertEquals(52, r.cost().total().wallSeconds(), 1e-12);
    assertEquals(3e12, r.cost().total().trainingFlops(), 1);
    assertEquals(6000, r.cost().total().parameters(), 1e-9);
    assertEquals(800, r.cost().total().peakRssMb(), 1e-9);
    assertEquals(2e5, r.cost().total().macsPerImage(), 1e-9);
    RouteSummary kd = find(all, "kd/temperature=4", 1.0);
    assertNull(kd.cost().autoencoderShare());
    assertEquals(1.1e13, kd.cost().total().trainingFlops(), 1);
    assertEquals(112, kd.cost().total().wallSeconds(), 1e-9);
    assertEquals(12, ce.cost().total().wallSeconds(), 1e-12, "ce pays only its student");
  }

  static RouteSummary find(List<RouteSummary> all, String route, double fraction) {
    return all.stream().filter(s -> s.route().equals(route) && s.trainFraction() == fraction)
        .findFirst().orElseThrow(() -> new AssertionError("no " + route + " @ " + fraction));
  }
}
