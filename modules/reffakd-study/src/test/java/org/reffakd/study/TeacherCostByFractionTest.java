package org.reffakd.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reffakd.nn.run.Cost;

/** A teacher trained per fraction is charged to the routes of that fraction only. */
class TeacherCostByFractionTest {

  @Test
  void eachFractionPaysItsOwnTeacher() {
    StudyData d = StudyFixture.data();
    StudyData byFraction = new StudyData(d.dataset(), d.baseline(), d.settings(), d.jobs(),
        d.autoencoderCost(), Map.of(), d.softLabels(), Map.of(
            1.0, Map.of(1L, new Cost(100_000, 1e7, 1e13, 100, 200, 1500)),
            0.5, Map.of(1L, new Cost(100_000, 1e7, 5e12, 50, 100, 1500))));
    double full = Double.NaN;
    double half = Double.NaN;
    for (StudyStats.RouteSummary r : StudyStats.summarize(byFraction)) {
      if (r.loss().equals("kd")) {
        if (r.trainFraction() == 1.0) {
          full = r.cost().teacherShare().trainingFlops();
        } else {
          half = r.cost().teacherShare().trainingFlops();
        }
      }
    }
    assertEquals(1e13, full);
    assertEquals(5e12, half);
  }
}
