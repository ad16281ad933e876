package org.reffakd.dl4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.reffakd.backend.Backends;

/**
 * Not a check: the measurement behind {@link Dl4jFashionTrainingTest}'s floor, kept so that it
 * can be repeated. The same short training over 8 seeds (weights and data order) per backend.
 * Run once per width:
 * <pre>
 * REFFAKD_VECTOR_BITS=128 mvn -B test -pl modules/reffakd-engine-dl4j \
 *     -Dtest=TrainingSpreadMeasurement -Dreffakd.measure.spread=java,dl4j
 * </pre>
 */
class TrainingSpreadMeasurement {

  @Test
  @EnabledIfSystemProperty(named = "reffakd.measure.spread", matches = ".+")
  void accuraciesOverSeeds() throws Exception {
    FashionMnist train = FashionMnist.load(true, Dl4jFashionTrainingTest.TRAIN);
    FashionMnist test = FashionMnist.load(false, Dl4jFashionTrainingTest.TEST);
    for (String name : System.getProperty("reffakd.measure.spread").split(",")) {
      StringBuilder sb = new StringBuilder("SPREAD " + name + " vector_bits "
          + Backends.get(name).vectorBits() + ":");
      for (int s = 1; s <= 8; s++) {
        sb.append(String.format(" %.4f", Dl4jFashionTrainingTest.accuracy(Backends.get(name), s,
            s + 100, train, test)));
      }
      System.out.println(sb);
    }
  }
}
