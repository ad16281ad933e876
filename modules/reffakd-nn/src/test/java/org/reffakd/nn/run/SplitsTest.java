package org.reffakd.nn.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The split rules: stratified, seeded, disjoint; the fraction drawn from the pool only. */
class SplitsTest {

  /** 1,000 images, classes of 100..190 images (unbalanced on purpose). */
  static int[] labels() {
    int[] l = new int[1450];
    int i = 0;
    for (int c = 0; c < 10; c++) {
      for (int k = 0; k < 100 + 10 * c; k++) {
        l[i++] = c;
      }
    }
    return Arrays.copyOf(l, i);
  }

  @Test
  void validationIsStratifiedSeededAndDisjointFromThePool() {
    int[] labels = labels();
    Splits.Partition a = Splits.validation(labels, 10, 145, 1);
    assertEquals(145, a.validation().length);
    assertEquals(labels.length - 145, a.pool().length);
    Set<Integer> val = new HashSet<>();
    Arrays.stream(a.validation()).forEach(val::add);
    assertFalse(Arrays.stream(a.pool()).anyMatch(val::contains));
    int[] perClass = new int[10];
    for (int i : a.validation()) {
      perClass[labels[i]]++;
    }
    for (int c = 0; c < 10; c++) { // each class its share: 10% of 100 + 10c
      assertEquals(10 + c, perClass[c], "class " + c);
    }
    assertArrayEquals(a.validation(), Splits.validation(labels, 10, 145, 1).validation());
    assertFalse(Arrays.equals(a.validation(), Splits.validation(labels, 10, 145, 2)
        .validation()));
  }

  @Test
  void fractionIsAStratifiedSubsetOfThePool() {
    int[] labels = labels();
    Splits.Partition p = Splits.validation(labels, 10, 145, 3);
    int[] sub = Splits.fraction(p.pool(), labels, 10, 0.1, 3);
    Set<Integer> pool = new HashSet<>();
    Arrays.stream(p.pool()).forEach(pool::add);
    assertEquals(sub.length, Arrays.stream(sub).filter(pool::contains).count());
    int[] perClass = new int[10];
    for (int i : sub) {
      perClass[labels[i]]++;
    }
    for (int c = 0; c < 10; c++) { // 10% of the pool's (90% of 100 + 10c) images
      assertEquals(Math.round((100 + 10 * c - (10 + c)) * 0.1), perClass[c], "class " + c);
    }
    assertArrayEquals(p.pool(), Splits.fraction(p.pool(), labels, 10, 1.0, 3));
    assertThrows(IllegalArgumentException.class,
        () -> Splits.fraction(p.pool(), labels, 10, 0, 3));
  }

  @Test
  void testSplitRuleHasOneHome() {
    assertEquals("val", Splits.testSplit("tiny-imagenet"));
    assertEquals("test", Splits.testSplit("cifar100"));
  }

  @Test
  void variantsNameAndSetTheSoftLabelFields() {
    RunConfig d = RunConfig.defaults("fashion-mnist");
    assertEquals("paper", d.softVariant());
    RunConfig clean = SoftLabelVariant.apply(d, "clean");
    assertEquals(Boolean.FALSE, clean.soft().augment());
    assertEquals("clean", clean.softVariant());
    RunConfig x = SoftLabelVariant.apply(d, "clean+centered+t0.05");
    assertEquals("clean+centered+t0.05", x.softVariant());
    assertEquals(0.05, x.soft().temperature());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SoftLabelVariant.apply(d, "paper+bogus"));
    assertEquals(true, e.getMessage().contains("bogus"), e.getMessage());
    assertEquals(7L, d.with(Map.of("seed", 7)).seed());
  }
}
