package org.reffakd.engine.java.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reffakd.engine.java.Tensor;

class AutoencoderTest {

  private static Tensor batch(int c, int n, int side) {
    Random r = new Random(1);
    float[] x = new float[c * n * side * side];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return new Tensor(x, c, n, side, side);
  }

  @Test
  void shapesAt32And64() {
    Autoencoder ae = new Autoencoder(1, 3);
    Tensor y = ae.forward(batch(1, 5, 32), true);
    assertArrayEquals(new int[] {1, 5, 32, 32}, y.shape);
    for (int i = 0; i < y.size(); i++) {
      assertTrue(y.data[i] > 0 && y.data[i] < 1, "sigmoid output in (0,1)");
    }
    assertEquals(5 * 768, ae.embed(batch(1, 5, 32)).length);
    assertEquals(768, Autoencoder.embeddingSize(32));
    Autoencoder rgb = new Autoencoder(3, 3);
    assertArrayEquals(new int[] {3, 2, 64, 64}, rgb.forward(batch(3, 2, 64), false).shape);
    assertEquals(2 * 3072, rgb.embed(batch(3, 2, 64)).length);
  }

  @Test
  void parameterCountMatchesTheReferenceArchitecture() {
    // conv 1->12, 12->24, 24->48 (4x4, bias); deconv 48->24, 24->12, 12->1 (4x4, bias)
    long expected = (12 * 16 + 12) + (24 * 12 * 16 + 24) + (48 * 24 * 16 + 48)
        + (48 * 24 * 16 + 24) + (24 * 12 * 16 + 12) + (12 * 16 + 1);
    assertEquals(expected, new Autoencoder(1, 1).parameterCount());
    assertEquals(46585, expected);
  }

  @Test
  void embeddingsAreNonNegative() {
    float[] e = new Autoencoder(1, 2).embed(batch(1, 4, 32));
    for (float v : e) {
      assertTrue(v >= 0, "ReLU embedding");
    }
  }

  @Test
  void lenetAndResnetShapes() {
    Network lenet = Models.lenet5bn(1, 32, 10, 1);
    assertArrayEquals(new int[] {4, 10}, lenet.forward(batch(1, 4, 32), true).shape);
    // LeNet-5: 6*(25+1) + 16*(150+1) + BN 2*(6+16) + 400*120+120 + 120*84+84 + 84*10+10
    assertEquals(156 + 2416 + 44 + 48120 + 10164 + 850, lenet.parameterCount());
    Network res = Models.create("resnet18-w16", 3, 32, 100, 1);
    assertArrayEquals(new int[] {2, 100}, res.forward(batch(3, 2, 32), true).shape);
    assertEquals(11_220_132L, Models.resnet18(3, 100, 64, 1).parameterCount());
  }
}
