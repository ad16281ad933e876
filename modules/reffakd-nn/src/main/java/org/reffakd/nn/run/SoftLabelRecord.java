package org.reffakd.nn.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.reffakd.nn.softlabel.SoftLabels;

/**
 * A soft-label matrix as the similarity stage publishes it (to the compacted topic
 * {@code reffakd.softlabels}) and the distillation stage reads it back: the key, what made it,
 * and the C x C similarity and soft-label matrices.
 *
 * @param key           {@code <dataset>/<hash>}; the hash covers everything that determines the
 *                      matrix (encoder checksum, variant and its options, seed, splits, data)
 * @param variant       the soft-label variant ({@link SoftLabelVariant})
 * @param encoderSha256 the encoder artefact the embeddings came from
 * @param options       how the matrix was made
 * @param provenance    code version, dataset checksums, splits and the images each stage saw
 */
public record SoftLabelRecord(String key, String dataset, String variant, String encoderSha256,
                              long seed, List<String> classes, double[][] similarity,
                              double[][] softLabels, Options options, Origin provenance) {

  /**
   * How the matrix was made ({@link SoftLabelOptions}, whether the draw was augmented, and
   * whether all of it is the paper's procedure). Written with its keys in alphabetical order,
   * as the first releases wrote them.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  public record Options(int perClass, double diagonalBoost, double similarityTemperature,
                        boolean centered, boolean augmentedDraw, boolean paperMode) {

    /**
     * The options as the record key hashes them: {@code {augmented_draw=..., ...,
     * similarity_temperature=...}}, the string of the sorted map the first releases hashed
     * (so that no key changes).
     */
    String keyString() {
      return "{augmented_draw=" + augmentedDraw + ", centered=" + centered + ", diagonal_boost="
          + diagonalBoost + ", paper_mode=" + paperMode + ", per_class=" + perClass
          + ", similarity_temperature=" + similarityTemperature + "}";
    }
  }

  /**
   * What the matrix came from besides its options: the code, the data, the splits, and how
   * many images the autoencoder and the draw's pool had (records published before those
   * counts were recorded read them as null).
   *
   * @param trainFraction the route's fraction of the pool; null at 1 (keys stay as they were)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Origin(String codeVersion, DatasetChecksums datasetSha256, int valSize,
                       int imageSize, Integer drawPoolImages, Integer autoencoderImages,
                       Double trainFraction) {}

  /** The matrices in the form the trainers use. */
  public SoftLabels toSoftLabels() {
    int c = classes.size();
    double[] sim = new double[c * c];
    double[] soft = new double[c * c];
    for (int i = 0; i < c; i++) {
      System.arraycopy(similarity[i], 0, sim, i * c, c);
      System.arraycopy(softLabels[i], 0, soft, i * c, c);
    }
    return new SoftLabels(c, sim, soft);
  }

  public String toJson() {
    try {
      return RunConfig.JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How far from 1 a row of soft labels may sum (they are softmax rows, written as JSON). */
  public static final double ROW_SUM_TOLERANCE = 1e-6;

  /**
   * Parses a record; fails naming the problem (for the dead-letter reason). A record is
   * untrusted input: two C x C matrices of finite numbers, each soft-label row a distribution
   * (entries in [0, 1] summing to 1).
   */
  public static SoftLabelRecord fromJson(String json) {
    SoftLabelRecord r;
    try {
      r = RunConfig.JSON.readValue(json, SoftLabelRecord.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed soft-label record: "
          + e.getMessage().replaceAll("\\s+", " "), e);
    }
    int c = r.classes() == null ? 0 : r.classes().size();
    if (r.key() == null || c == 0 || r.similarity() == null || r.softLabels() == null
        || r.similarity().length != c || r.softLabels().length != c) {
      throw new IllegalArgumentException("malformed soft-label record " + r.key()
          + ": needs key, classes and two C x C matrices");
    }
    for (int i = 0; i < c; i++) {
      if (r.similarity()[i].length != c || r.softLabels()[i].length != c) {
        throw new IllegalArgumentException("soft-label record " + r.key() + ": row " + i
            + " is not of length " + c);
      }
      for (int j = 0; j < c; j++) {
        if (!Double.isFinite(r.softLabels()[i][j]) || !Double.isFinite(r.similarity()[i][j])) {
          throw new IllegalArgumentException("soft-label record " + r.key() + ": entry (" + i
              + ", " + j + ") is not finite");
        }
      }
      // a row is a distribution over the classes: entries in [0, 1] that sum to 1
      double sum = 0;
      for (int j = 0; j < c; j++) {
        double v = r.softLabels()[i][j];
        if (v < 0 || v > 1) {
          throw new IllegalArgumentException("soft-label record " + r.key() + ": entry (" + i
              + ", " + j + ") is " + v + ", a soft label is a probability in [0, 1]");
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
        throw new IllegalArgumentException("soft-label record " + r.key() + ": row " + i
            + " (" + r.classes().get(i) + ") sums to " + sum + ", a soft-label row must sum to"
            + " 1 (within " + ROW_SUM_TOLERANCE + ")");
      }
    }
    return r;
  }
}
