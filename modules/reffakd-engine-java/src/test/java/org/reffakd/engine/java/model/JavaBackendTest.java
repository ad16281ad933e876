package org.reffakd.engine.java.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;

class JavaBackendTest {

  private static ImageBatch batch(int n, int c, int side, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * c * side * side];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return new ImageBatch(x, ImageBatch.Layout.CNHW, n, c, side, side);
  }

  @Test
  void theJavaEngineIsFoundByNameAndIsTheDefault() {
    assertEquals("java", Backends.get(Backends.DEFAULT).name());
    assertTrue(Backends.names().contains("java"));
  }

  @Test
  void stateNamesAreThoseOfPyTorchsStateDict() {
    Classifier lenet = new JavaBackend().classifier("lenet5bn", 1, 32, 10, 1);
    assertEquals(java.util.List.of("0.weight", "0.bias", "1.weight", "1.bias", "4.weight",
        "4.bias", "5.weight", "5.bias", "9.weight", "9.bias", "11.weight", "11.bias",
        "13.weight", "13.bias"), java.util.List.copyOf(lenet.parameters().keySet()));
    assertTrue(lenet.state().containsKey("1.running_mean"));
    assertTrue(lenet.state().containsKey("5.running_var"));
    assertEquals(6 * 25, lenet.state().get("0.weight").length);
    assertEquals(16 * 5 * 5 * 120, lenet.state().get("9.weight").length);

    Map<String, float[]> res = new JavaBackend().classifier("resnet18-w16", 3, 32, 100, 1).state();
    assertTrue(res.containsKey("3.main.0.weight"), res.keySet().toString());
    assertTrue(res.containsKey("5.shortcut.1.running_var"), res.keySet().toString());
    assertFalse(res.containsKey("3.shortcut.0.weight")); // identity shortcut
    assertTrue(res.containsKey("12.weight"));

    AutoencoderModel ae = new JavaBackend().autoencoder(1, 1);
    assertEquals(java.util.List.of("encoder.0.weight", "encoder.0.bias", "encoder.2.weight",
        "encoder.2.bias", "encoder.4.weight", "encoder.4.bias", "decoder.0.weight",
        "decoder.0.bias", "decoder.2.weight", "decoder.2.bias", "decoder.4.weight",
        "decoder.4.bias"), java.util.List.copyOf(ae.state().keySet()));
    ae.sgd(0.9, 5e-4);
    assertTrue(ae.state().containsKey("momentum.decoder.4.bias"));
  }

  @Test
  void loadingAnotherModelsStateGivesItsLogitsInEitherLayout() {
    Classifier a = Models.create("lenet5bn", 1, 32, 10, 1);
    Classifier b = Models.create("lenet5bn", 1, 32, 10, 2);
    ImageBatch x = batch(4, 1, 32, 3);
    float[] za = Arrays.copyOf(a.forward(x, false), 40);
    assertFalse(Arrays.equals(za, Arrays.copyOf(b.forward(x, false), 40)));
    b.load(a.state(), "model a");
    assertArrayEquals(za, Arrays.copyOf(b.forward(x, false), 40));
    assertArrayEquals(za, Arrays.copyOf(b.forward(x.to(ImageBatch.Layout.NCHW), false), 40));
  }

  @Test
  void aStateThatDoesNotFitIsRefusedNamingTheArray() {
    Classifier a = Models.create("lenet5bn", 1, 32, 10, 1);
    Map<String, float[]> s = new HashMap<>(a.state());
    s.remove("5.running_var");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> a.load(s, "ckpt X"));
    assertTrue(e.getMessage().contains("ckpt X: '5.running_var' is missing"), e.getMessage());
    Map<String, float[]> wrong = new HashMap<>(Models.create("lenet5bn", 1, 32, 10, 1).state());
    wrong.put("13.bias", new float[3]);
    e = assertThrows(IllegalArgumentException.class, () -> a.load(wrong, "ckpt Y"));
    assertTrue(e.getMessage().contains("'13.bias' has 3 values"), e.getMessage());
    Map<String, float[]> extra = new HashMap<>(Models.create("lenet5bn", 1, 32, 10, 1).state());
    extra.put("14.weight", new float[3]);
    e = assertThrows(IllegalArgumentException.class, () -> a.load(extra, "ckpt Z"));
    assertTrue(e.getMessage().contains("'14.weight' is not a parameter"), e.getMessage());
  }

  @Test
  void aTrainStepLowersTheReconstructionErrorAndMomentumIsState() {
    AutoencoderModel ae = new JavaBackend().autoencoder(1, 4);
    ae.sgd(0.9, 0);
    ImageBatch x = batch(8, 1, 16, 5);
    double first = ae.trainStep(x, 0.5);
    double later = first;
    for (int i = 0; i < 20; i++) {
      later = ae.trainStep(x, 0.5);
    }
    assertTrue(later < first, first + " -> " + later);
    float[] v = ae.state().get("momentum.encoder.0.weight");
    assertTrue(Arrays.stream(toDouble(v)).anyMatch(d -> d != 0));
    assertEquals(8 * 48 * 2 * 2, ae.encode(x).length);
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
