package org.reffakd.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageBatchTest {

  @Test
  void layoutsPlaceEachValueWhereTheirDefinitionsSay() {
    int n = 3;
    int c = 2;
    int h = 2;
    int w = 3;
    float[] cnhw = new float[n * c * h * w];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < n; i++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            cnhw[((ch * n + i) * h + y) * w + x] = 1000 * i + 100 * ch + 10 * y + x;
          }
        }
      }
    }
    ImageBatch b = new ImageBatch(cnhw, ImageBatch.Layout.CNHW, n, c, h, w);
    ImageBatch nchw = b.to(ImageBatch.Layout.NCHW);
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            assertEquals(1000 * i + 100 * ch + 10 * y + x,
                nchw.data()[((i * c + ch) * h + y) * w + x]);
          }
        }
      }
    }
    assertSame(b, b.to(ImageBatch.Layout.CNHW));
    assertArrayEquals(cnhw, nchw.to(ImageBatch.Layout.CNHW).data());
  }

  @Test
  void aLongerBufferIsAllowedAShortOneIsNot() {
    assertEquals(8, new ImageBatch(new float[20], ImageBatch.Layout.NCHW, 2, 1, 2, 2).size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageBatch(new float[7], ImageBatch.Layout.NCHW, 2, 1, 2, 2));
    assertTrue(e.getMessage().contains("needs 8 floats"), e.getMessage());
  }

  @Test
  void anUnknownEngineNamesTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Backends.get("tensorflow"));
    assertTrue(e.getMessage().contains("unknown engine 'tensorflow'"), e.getMessage());
  }
}
