package org.reffakd.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.reffakd.nn.data.ImageDataset;

/**
 * The wire format of a {@code reffakd.<dataset>.samples} topic.
 *
 * <p>Why batches rather than one record per image: per-record overhead (headers, key, callback,
 * broker bookkeeping) dominates for 784-byte images; a few hundred images per record moves
 * Fashion-MNIST at memory speed. Why a manifest: a consumer must know when a split is complete,
 * which classes the labels index and the provenance checksum, without trusting the batches.
 *
 * <h2>Batch record</h2>
 * key {@code <dataset>/<split>/<batchIndex>} (UTF-8); headers {@code dataset}, {@code split},
 * {@code schema} = {@value #BATCH_SCHEMA}, {@code count} (decimal text: images in the record),
 * {@code index} (decimal text: the batch index, as in the key) and {@code sha256} (hex SHA-256
 * of the value: the batch's own checksum); value, big-endian:
 * <pre>
 *   int   magic 0x52464B53 ("RFKS")
 *   byte  version (1)
 *   byte  label width in bytes: 1 (classes &lt;= 256) or 2 (unsigned short)
 *   short reserved (0)
 *   int   count, int channels, int height, int width
 *   count labels (label width each)
 *   count * channels * height * width pixel bytes, image after image, channel-major
 * </pre>
 * Batch {@code i} holds images {@code [i * batch_size, min((i + 1) * batch_size, count))} of the
 * split, where {@code batch_size} comes from the manifest.
 *
 * <h2>Manifest record</h2>
 * one per split, published before its batches: key {@code <dataset>/<split>/manifest}; headers
 * {@code dataset}, {@code split}, {@code schema} = {@value #MANIFEST_SCHEMA}; value JSON
 * <pre>
 *   {"dataset", "split", "classes": [names], "shape": [C, H, W], "count", "batches",
 *    "batch_size", "checksum": ImageDataset.sha256 of the source files,
 *    "pixels_sha256": SHA-256 of all pixel bytes of the split followed by all labels
 *                     (each in the label width, big-endian) as published,
 *    "batch_sha256": [the SHA-256 of each batch record's value, by batch index]}
 * </pre>
 * A batch whose key, {@code index} header, {@code sha256} header and the manifest's
 * {@code batch_sha256} do not all agree is malformed (dead-lettered by the consumer): a valid
 * batch under another batch's key is caught, and named. Manifests without
 * {@code batch_sha256} (published before it existed) are still read; their batches are then
 * checked against their own headers only, when they have them.
 *
 * <p>Every decode validates fully and throws {@link MalformedRecordException} whose message is
 * the dead-letter reason.
 */
public final class SampleRecords {

  /** {@code schema} header of a batch record. */
  public static final String BATCH_SCHEMA = "reffakd.samples.v1";
  /** {@code schema} header of a manifest record. */
  public static final String MANIFEST_SCHEMA = "reffakd.manifest.v1";
  /** Header names. */
  public static final String H_DATASET = "dataset";
  public static final String H_SPLIT = "split";
  public static final String H_SCHEMA = "schema";
  public static final String H_COUNT = "count";
  public static final String H_INDEX = "index";
  public static final String H_SHA256 = "sha256";
  /** The last key segment of a manifest record. */
  public static final String MANIFEST_SUFFIX = "manifest";

  /** "RFKS". */
  public static final int MAGIC = 0x52464B53;
  public static final byte VERSION = 1;
  /** Bytes before the labels in a batch value. */
  public static final int HEADER_BYTES = 24;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SampleRecords() {
  }

  /** The kind of a samples-topic record, from its {@code schema} header. */
  public enum Kind { MANIFEST, BATCH }

  /**
   * What a consumer needs to rebuild one split and verify it.
   *
   * @param batchSize     images per batch record (the last one may hold fewer)
   * @param checksum      the source files' checksum ({@link ImageDataset#sha256()})
   * @param pixelsSha256  SHA-256 of the published pixels then labels, see the class comment
   * @param batchSha256   the SHA-256 of each batch record's value, by index; empty for a
   *                      manifest published before batches carried their checksum
   */
  public record Manifest(String dataset, String split, List<String> classes, int channels,
                         int height, int width, int count, int batches, int batchSize,
                         String checksum, String pixelsSha256, List<String> batchSha256) {

    public Manifest {
      classes = List.copyOf(classes);
      batchSha256 = batchSha256 == null ? List.of() : List.copyOf(batchSha256);
    }

    /** A manifest without batch checksums. */
    public Manifest(String dataset, String split, List<String> classes, int channels,
                    int height, int width, int count, int batches, int batchSize,
                    String checksum, String pixelsSha256) {
      this(dataset, split, classes, channels, height, width, count, batches, batchSize,
          checksum, pixelsSha256, List.of());
    }

    /** The manifest of {@code ds} published in batches of {@code batchSize} images. */
    public static Manifest of(ImageDataset ds, int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size " + batchSize + " < 1");
      }
      int batches = (ds.size() + batchSize - 1) / batchSize;
      List<String> batchSha = new ArrayList<>(batches);
      for (int i = 0; i < batches; i++) {
        batchSha.add(sha256Hex(batchValue(ds, i, batchSize)));
      }
      return of(ds, batchSize, batchSha);
    }

    /**
     * The manifest of {@code ds} published in batches of {@code batchSize} images whose values
     * have the given SHA-256s (hex, by batch index): for a publisher that encoded them already.
     */
    public static Manifest of(ImageDataset ds, int batchSize, List<String> batchSha) {
      int batches = (ds.size() + batchSize - 1) / batchSize;
      if (batchSha.size() != batches) {
        throw new IllegalArgumentException(batchSha.size() + " batch checksums for " + batches
            + " batches");
      }
      return new Manifest(ds.name(), ds.split(), ds.classNames(), ds.channels(), ds.height(),
          ds.width(), ds.size(), batches, batchSize, ds.sha256(),
          SampleRecords.pixelsSha256(ds.pixels(), ds.labels(), ds.numClasses()), batchSha);
    }

    /** Values per image. */
    public int imageSize() {
      return channels * height * width;
    }

    /** Bytes per label: 1 up to 256 classes, else 2. */
    public int labelWidth() {
      return SampleRecords.labelWidth(classes.size());
    }

    /** Images in batch {@code index}. */
    public int imagesInBatch(int index) {
      return Math.min(batchSize, count - index * batchSize);
    }

    /** {@code <dataset>/<split>}. */
    public String splitKey() {
      return dataset + "/" + split;
    }

    String shape() {
      return "[" + channels + "," + height + "," + width + "]";
    }
  }

  /**
   * A decoded, validated batch; {@link #payload()} is the record value, pixels start at
   * {@link #pixelOffset()}.
   */
  public record Batch(String dataset, String split, int index, int count, int channels,
                      int height, int width, int[] labels, byte[] payload, int pixelOffset) {

    /** Copies this batch's pixels to {@code dst} at {@code dstPos}. */
    public void copyPixels(byte[] dst, int dstPos) {
      System.arraycopy(payload, pixelOffset, dst, dstPos, count * channels * height * width);
    }

    /** This batch's pixels (a copy). */
    public byte[] pixels() {
      byte[] px = new byte[count * channels * height * width];
      copyPixels(px, 0);
      return px;
    }
  }

  /** Label width for {@code classes} classes: 1 byte up to 256, else 2. */
  public static int labelWidth(int classes) {
    if (classes > 65536) {
      throw new IllegalArgumentException(classes + " classes do not fit a 2-byte label");
    }
    return classes <= 256 ? 1 : 2;
  }

  // ---------------------------------------------------------------- encoding

  /** The manifest record of {@code m} for {@code topic}. */
  public static ProducerRecord<byte[], byte[]> manifestRecord(String topic, Manifest m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("dataset", m.dataset());
    o.put("split", m.split());
    ArrayNode classes = o.putArray("classes");
    m.classes().forEach(classes::add);
    o.putArray("shape").add(m.channels()).add(m.height()).add(m.width());
    o.put("count", m.count());
    o.put("batches", m.batches());
    o.put("batch_size", m.batchSize());
    o.put("checksum", m.checksum());
    o.put("pixels_sha256", m.pixelsSha256());
    if (!m.batchSha256().isEmpty()) {
      ArrayNode shas = o.putArray("batch_sha256");
      m.batchSha256().forEach(shas::add);
    }
    byte[] value;
    try {
      value = JSON.writeValueAsBytes(o);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write manifest JSON", e);
    }
    Headers h = new RecordHeaders();
    h.add(H_DATASET, utf8(m.dataset()));
    h.add(H_SPLIT, utf8(m.split()));
    h.add(H_SCHEMA, utf8(MANIFEST_SCHEMA));
    return new ProducerRecord<>(topic, null, utf8(m.splitKey() + "/" + MANIFEST_SUFFIX), value,
        h);
  }

  /**
   * The record of batch {@code index} of {@code ds} published in batches of {@code batchSize}.
   */
  public static ProducerRecord<byte[], byte[]> batchRecord(String topic, ImageDataset ds,
                                                           int index, int batchSize) {
    byte[] value = batchValue(ds, index, batchSize);
    return batchRecord(topic, ds, index, batchSize, value, sha256Hex(value));
  }

  /**
   * As {@link #batchRecord(String, ImageDataset, int, int)} with the value already encoded
   * ({@link #batchValue}) and its hex SHA-256 computed: each encoded and hashed once.
   */
  static ProducerRecord<byte[], byte[]> batchRecord(String topic, ImageDataset ds, int index,
                                                    int batchSize, byte[] value, String sha) {
    int count = Math.min(batchSize, ds.size() - index * batchSize);
    Headers h = new RecordHeaders();
    h.add(H_DATASET, utf8(ds.name()));
    h.add(H_SPLIT, utf8(ds.split()));
    h.add(H_SCHEMA, utf8(BATCH_SCHEMA));
    h.add(H_COUNT, utf8(Integer.toString(count)));
    h.add(H_INDEX, utf8(Integer.toString(index)));
    h.add(H_SHA256, utf8(sha));
    return new ProducerRecord<>(topic, null,
        utf8(ds.name() + "/" + ds.split() + "/" + index), value, h);
  }

  /** The value of batch {@code index} of {@code ds} published in batches of {@code batchSize}. */
  static byte[] batchValue(ImageDataset ds, int index, int batchSize) {
    int first = index * batchSize;
    if (index < 0 || first >= ds.size()) {
      throw new IllegalArgumentException("batch " + index + " of " + batchSize
          + " images is outside " + ds.name() + "/" + ds.split() + " (" + ds.size() + " images)");
    }
    int count = Math.min(batchSize, ds.size() - first);
    return encodeBatch(ds.channels(), ds.height(), ds.width(), labelWidth(ds.numClasses()),
        ds.labels(), first, count, ds.pixels(), first * ds.imageSize());
  }

  /** Hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /**
   * A batch value: {@code count} images starting at image {@code first} of {@code labels} and
   * at byte {@code pixelFrom} of {@code pixels}.
   */
  public static byte[] encodeBatch(int channels, int height, int width, int labelWidth,
                                   int[] labels, int first, int count, byte[] pixels,
                                   int pixelFrom) {
    int imageBytes = channels * height * width;
    byte[] value = new byte[HEADER_BYTES + count * labelWidth + count * imageBytes];
    ByteBuffer b = ByteBuffer.wrap(value);
    b.putInt(MAGIC).put(VERSION).put((byte) labelWidth).putShort((short) 0)
        .putInt(count).putInt(channels).putInt(height).putInt(width);
    int pos = HEADER_BYTES;
    if (labelWidth == 1) {
      for (int i = 0; i < count; i++) {
        value[pos++] = (byte) labels[first + i];
      }
    } else {
      for (int i = 0; i < count; i++) {
        int l = labels[first + i];
        value[pos++] = (byte) (l >>> 8);
        value[pos++] = (byte) l;
      }
    }
    System.arraycopy(pixels, pixelFrom, value, pos, count * imageBytes);
    return value;
  }

  /**
   * SHA-256 of {@code pixels} followed by {@code labels} in the label width for
   * {@code classes} classes (big-endian): the manifest's {@code pixels_sha256}.
   */
  public static String pixelsSha256(byte[] pixels, int[] labels, int classes) {
    MessageDigest sha = sha256();
    sha.update(pixels);
    updateLabels(sha, labels, classes);
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Feeds {@code labels} to {@code sha} as {@link #pixelsSha256} does, after the pixels. */
  public static void updateLabels(MessageDigest sha, int[] labels, int classes) {
    int width = labelWidth(classes);
    byte[] chunk = new byte[8192];
    int n = 0;
    for (int l : labels) {
      if (n + width > chunk.length) {
        sha.update(chunk, 0, n);
        n = 0;
      }
      if (width == 2) {
        chunk[n++] = (byte) (l >>> 8);
      }
      chunk[n++] = (byte) l;
    }
    sha.update(chunk, 0, n);
  }

  // ---------------------------------------------------------------- decoding

  /**
   * The kind of a samples-topic record from its {@code schema} header.
   *
   * @throws MalformedRecordException for a missing or unknown schema
   */
  public static Kind kind(ConsumerRecord<byte[], byte[]> r) {
    String schema = header(r.headers(), H_SCHEMA);
    if (schema == null) {
      throw new MalformedRecordException("missing header 'schema' (not a reffakd samples record)");
    }
    return switch (schema) {
      case BATCH_SCHEMA -> Kind.BATCH;
      case MANIFEST_SCHEMA -> Kind.MANIFEST;
      default -> throw new MalformedRecordException("unknown schema '" + abbreviate(schema)
          + "' (expected " + BATCH_SCHEMA + " or " + MANIFEST_SCHEMA + ")");
    };
  }

  /**
   * Decodes and validates a manifest record.
   *
   * @throws MalformedRecordException naming what is wrong
   */
  public static Manifest decodeManifest(ConsumerRecord<byte[], byte[]> r) {
    requireSchema(r, MANIFEST_SCHEMA);
    String dataset = requireHeader(r, H_DATASET);
    String split = requireHeader(r, H_SPLIT);
    String key = requireKey(r);
    String expectedKey = dataset + "/" + split + "/" + MANIFEST_SUFFIX;
    if (!key.equals(expectedKey)) {
      throw new MalformedRecordException("manifest key '" + abbreviate(key)
          + "' disagrees with its headers (expected '" + expectedKey + "')");
    }
    if (r.value() == null || r.value().length == 0) {
      throw new MalformedRecordException("manifest " + expectedKey + " has no value");
    }
    JsonNode o;
    try {
      o = JSON.readTree(r.value());
    } catch (Exception e) {
      throw new MalformedRecordException("manifest " + expectedKey + " is not valid JSON: "
          + firstLine(e.getMessage()));
    }
    if (o == null || !o.isObject()) {
      throw new MalformedRecordException("manifest " + expectedKey + " is not a JSON object");
    }
    String where = "manifest " + expectedKey;
    String jsonDataset = text(o, "dataset", where);
    String jsonSplit = text(o, "split", where);
    if (!jsonDataset.equals(dataset) || !jsonSplit.equals(split)) {
      throw new MalformedRecordException(where + ": JSON names " + jsonDataset + "/" + jsonSplit
          + " but the headers name " + dataset + "/" + split);
    }
    JsonNode classesNode = o.get("classes");
    if (classesNode == null || !classesNode.isArray() || classesNode.isEmpty()) {
      throw new MalformedRecordException(where + ": 'classes' must be a non-empty array");
    }
    List<String> classes = new ArrayList<>();
    for (JsonNode c : classesNode) {
      if (!c.isTextual()) {
        throw new MalformedRecordException(where + ": 'classes' must hold strings");
      }
      classes.add(c.asText());
    }
    if (classes.size() > 65536) {
      throw new MalformedRecordException(where + ": " + classes.size() + " classes (max 65536)");
    }
    JsonNode shape = o.get("shape");
    if (shape == null || !shape.isArray() || shape.size() != 3) {
      throw new MalformedRecordException(where + ": 'shape' must be [channels, height, width]");
    }
    int[] chw = new int[3];
    for (int i = 0; i < 3; i++) {
      if (!shape.get(i).canConvertToInt() || shape.get(i).asInt() < 1) {
        throw new MalformedRecordException(where + ": 'shape' values must be positive integers");
      }
      chw[i] = shape.get(i).asInt();
    }
    if ((long) chw[0] * chw[1] * chw[2] > Integer.MAX_VALUE / 2) {
      throw new MalformedRecordException(where + ": shape " + shape + " is too large");
    }
    int count = nonNegative(o, "count", where);
    int batches = nonNegative(o, "batches", where);
    int batchSize = nonNegative(o, "batch_size", where);
    if (batchSize < 1) {
      throw new MalformedRecordException(where + ": 'batch_size' must be >= 1");
    }
    if ((long) count * chw[0] * chw[1] * chw[2] > Integer.MAX_VALUE - 16) {
      throw new MalformedRecordException(where + ": " + count + " images of " + shape
          + " do not fit one array");
    }
    long expectedBatches = ((long) count + batchSize - 1) / batchSize;
    if (batches != expectedBatches) {
      throw new MalformedRecordException(where + ": " + batches + " batches disagree with count "
          + count + " and batch_size " + batchSize + " (expected " + expectedBatches + ")");
    }
    String checksum = text(o, "checksum", where);
    String pixelsSha = text(o, "pixels_sha256", where);
    if (!pixelsSha.matches("[0-9a-f]{64}")) {
      throw new MalformedRecordException(where + ": 'pixels_sha256' is not 64 hex digits");
    }
    List<String> batchSha = new ArrayList<>();
    JsonNode shas = o.get("batch_sha256");
    if (shas != null && !shas.isNull()) {
      if (!shas.isArray() || shas.size() != batches) {
        throw new MalformedRecordException(where + ": 'batch_sha256' must list one SHA-256 per "
            + "batch (" + batches + ")");
      }
      for (JsonNode h : shas) {
        if (!h.isTextual() || !h.asText().matches("[0-9a-f]{64}")) {
          throw new MalformedRecordException(where + ": 'batch_sha256' holds a value that is "
              + "not 64 hex digits");
        }
        batchSha.add(h.asText());
      }
    }
    return new Manifest(dataset, split, classes, chw[0], chw[1], chw[2], count, batches,
        batchSize, checksum, pixelsSha, batchSha);
  }

  /**
   * The {@code <dataset>/<split>} a batch record claims in its headers (no other validation);
   * used to find its manifest before {@link #decodeBatch}.
   *
   * @throws MalformedRecordException when the headers are missing
   */
  public static String splitKeyOf(ConsumerRecord<byte[], byte[]> r) {
    return requireHeader(r, H_DATASET) + "/" + requireHeader(r, H_SPLIT);
  }

  /**
   * Decodes and validates a batch record against the manifest of its split.
   *
   * @throws MalformedRecordException naming what is wrong: schema, headers, key, count header
   *     vs payload, truncated payload, shape vs manifest, batch index or size vs manifest, label
   *     out of range
   */
  public static Batch decodeBatch(ConsumerRecord<byte[], byte[]> r, Manifest m) {
    requireSchema(r, BATCH_SCHEMA);
    String dataset = requireHeader(r, H_DATASET);
    String split = requireHeader(r, H_SPLIT);
    String countText = requireHeader(r, H_COUNT);
    String key = requireKey(r);
    String prefix = dataset + "/" + split + "/";
    if (!key.startsWith(prefix)) {
      throw new MalformedRecordException("batch key '" + abbreviate(key)
          + "' disagrees with its headers (expected '" + prefix + "<batchIndex>')");
    }
    int index;
    try {
      index = Integer.parseInt(key.substring(prefix.length()));
    } catch (NumberFormatException e) {
      throw new MalformedRecordException("batch key '" + abbreviate(key)
          + "' does not end in a batch index");
    }
    String where = "batch " + key;
    if (!dataset.equals(m.dataset()) || !split.equals(m.split())) {
      throw new MalformedRecordException(where + " checked against the manifest of "
          + m.splitKey());
    }
    int headerCount;
    try {
      headerCount = Integer.parseInt(countText.trim());
    } catch (NumberFormatException e) {
      throw new MalformedRecordException(where + ": header 'count' is not a number: '"
          + abbreviate(countText) + "'");
    }
    byte[] v = r.value();
    int length = v == null ? 0 : v.length;
    if (length < HEADER_BYTES) {
      throw new MalformedRecordException(where + ": truncated payload: " + length
          + " bytes, the batch header alone needs " + HEADER_BYTES);
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    int magic = b.getInt();
    if (magic != MAGIC) {
      throw new MalformedRecordException(where + ": bad magic 0x" + Integer.toHexString(magic)
          + " (expected 0x" + Integer.toHexString(MAGIC) + ")");
    }
    byte version = b.get();
    if (version != VERSION) {
      throw new MalformedRecordException(where + ": unsupported payload version " + version);
    }
    int labelWidth = b.get();
    b.getShort();
    int count = b.getInt();
    int channels = b.getInt();
    int height = b.getInt();
    int width = b.getInt();
    if (count != headerCount) {
      throw new MalformedRecordException(where + ": header 'count' " + headerCount
          + " disagrees with the payload's count " + count);
    }
    if (channels != m.channels() || height != m.height() || width != m.width()) {
      throw new MalformedRecordException(where + ": shape [" + channels + "," + height + ","
          + width + "] disagrees with the manifest's " + m.shape());
    }
    if (labelWidth != m.labelWidth()) {
      throw new MalformedRecordException(where + ": label width " + labelWidth
          + " disagrees with " + m.classes().size() + " classes (expected " + m.labelWidth()
          + ")");
    }
    if (index < 0 || index >= m.batches()) {
      throw new MalformedRecordException(where + ": batch index " + index + " outside [0, "
          + m.batches() + ") of the manifest");
    }
    int expectedCount = m.imagesInBatch(index);
    if (count != expectedCount) {
      throw new MalformedRecordException(where + ": holds " + count + " images, the manifest"
          + " expects " + expectedCount);
    }
    long expectedLength = HEADER_BYTES + (long) count * labelWidth
        + (long) count * m.imageSize();
    if (length != expectedLength) {
      throw new MalformedRecordException(where + ": " + (length < expectedLength
          ? "truncated payload" : "oversized payload") + ": " + length + " bytes, expected "
          + expectedLength + " for " + count + " images of " + m.shape());
    }
    int classes = m.classes().size();
    int[] labels = new int[count];
    int pos = HEADER_BYTES;
    for (int i = 0; i < count; i++) {
      int l = labelWidth == 1 ? v[pos++] & 0xFF : ((v[pos++] & 0xFF) << 8) | (v[pos++] & 0xFF);
      if (l >= classes) {
        throw new MalformedRecordException(where + ": label " + l + " of image " + i
            + " outside [0, " + classes + ")");
      }
      labels[i] = l;
    }
    checkIntegrity(r, where, index, v, m);
    return new Batch(dataset, split, index, count, channels, height, width, labels, v, pos);
  }

  /**
   * The batch's key, {@code index} header, {@code sha256} header and the manifest's checksum of
   * batch {@code index} must agree; with batch checksums in the manifest the headers are
   * required.
   */
  private static void checkIntegrity(ConsumerRecord<byte[], byte[]> r, String where, int index,
                                     byte[] value, Manifest m) {
    boolean required = !m.batchSha256().isEmpty();
    String indexHeader = header(r.headers(), H_INDEX);
    if (indexHeader == null) {
      if (required) {
        throw new MalformedRecordException(where + ": no header 'index' (its manifest lists "
            + "batch checksums)");
      }
    } else if (!indexHeader.trim().equals(Integer.toString(index))) {
      throw new MalformedRecordException(where + ": the key says batch " + index
          + " but header 'index' says " + abbreviate(indexHeader) + " (sent under the wrong key)");
    }
    String sha = sha256Hex(value);
    String shaHeader = header(r.headers(), H_SHA256);
    if (shaHeader == null) {
      if (required) {
        throw new MalformedRecordException(where + ": no header 'sha256' (its manifest lists "
            + "batch checksums)");
      }
    } else if (!shaHeader.trim().equals(sha)) {
      throw new MalformedRecordException(where + ": payload SHA-256 " + sha + " disagrees with "
          + "its header 'sha256' " + abbreviate(shaHeader) + " (the payload was altered)");
    }
    if (required && !m.batchSha256().get(index).equals(sha)) {
      int actual = m.batchSha256().indexOf(sha);
      throw new MalformedRecordException(where + ": payload is not batch " + index + " of "
          + m.splitKey() + "'s manifest" + (actual >= 0 ? " (it is batch " + actual
          + "'s: sent under the wrong key)" : " (its SHA-256 " + sha + " is none of the "
          + "manifest's batches)"));
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The last value of header {@code name} as UTF-8, or null. */
  public static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static void requireSchema(ConsumerRecord<byte[], byte[]> r, String schema) {
    String actual = header(r.headers(), H_SCHEMA);
    if (actual == null) {
      throw new MalformedRecordException("missing header 'schema' (not a reffakd samples record)");
    }
    if (!actual.equals(schema)) {
      throw new MalformedRecordException("schema '" + abbreviate(actual) + "' where "
          + schema + " was expected");
    }
  }

  private static String requireHeader(ConsumerRecord<byte[], byte[]> r, String name) {
    String v = header(r.headers(), name);
    if (v == null || v.isEmpty()) {
      throw new MalformedRecordException("missing header '" + name + "'");
    }
    return v;
  }

  private static String requireKey(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null || r.key().length == 0) {
      throw new MalformedRecordException("missing key");
    }
    return new String(r.key(), StandardCharsets.UTF_8);
  }

  private static String text(JsonNode o, String field, String where) {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual()) {
      throw new MalformedRecordException(where + ": '" + field + "' must be a string");
    }
    return n.asText();
  }

  private static int nonNegative(JsonNode o, String field, String where) {
    JsonNode n = o.get(field);
    if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
      throw new MalformedRecordException(where + ": '" + field
          + "' must be a non-negative integer");
    }
    return n.asInt();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
