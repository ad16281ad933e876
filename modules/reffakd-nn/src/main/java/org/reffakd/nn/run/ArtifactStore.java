package org.reffakd.nn.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content-addressed store of artefacts (encoder and teacher checkpoints): a file is kept as
 * {@code <root>/sha256/<first two hex digits>/<sha256>} and named by its SHA-256 alone, so
 * stages and workers hand each other a checksum, never a path or an object. Writes are atomic
 * (a temporary file, then a rename), storing the same content twice is a no-op when the stored
 * copy matches its name (a corrupt one is replaced), and every read checks the content against
 * its name.
 *
 * <p>The default root is {@code artifacts/} under the runs root. With a {@link Remote} (the
 * platform's: the Kafka topic {@code reffakd.artifacts}) the folder is a cache: what is put is
 * also published there, and what is missing here, or found corrupt here, is fetched from there
 * and verified, so workers on several machines need nothing shared but the Kafka cluster.
 */
public final class ArtifactStore {

  /** Where artefacts travel between machines (the platform's Kafka topic). */
  public interface Remote {
    /** Publishes a stored artefact under its SHA-256 (publishing it again is harmless). */
    void publish(String sha256, Path file);

    /**
     * Writes the artefact of this SHA-256 to {@code dest}, verified; false when the remote
     * does not hold it. A damaged copy there fails naming the artefact and what is wrong.
     */
    boolean fetch(String sha256, Path dest);

    /** Where it is, for messages ("reffakd.artifacts at host:9092"). */
    String describe();
  }

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");
  private static final System.Logger LOG = System.getLogger(ArtifactStore.class.getName());

  private final Path root;
  private final Remote remote;

  public ArtifactStore(Path root) {
    this(root, null);
  }

  /** A store whose folder is a cache of {@code remote} (null: the folder alone). */
  public ArtifactStore(Path root, Remote remote) {
    this.root = root;
    this.remote = remote;
  }

  public Path root() {
    return root;
  }

  /**
   * Copies a file into the store and returns its SHA-256. A file already stored under that
   * name is kept only when its content matches the name: a corrupt or tampered one (any other
   * SHA-256, a folder or a link in its place) is replaced by this correct copy, so one bad file
   * cannot break every later run that needs the artefact. The copy is checked before it is
   * moved into place (a source that changed while it was copied is refused).
   */
  public String put(Path file) {
    String sha = store(file);
    if (remote != null) {
      remote.publish(sha, path(sha));
    }
    return sha;
  }

  private String store(Path file) {
    String sha = sha256(file);
    Path dst = path(sha);
    if (Files.isRegularFile(dst, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        && sha.equals(sha256(dst))) {
      return sha;
    }
    try {
      Files.createDirectories(dst.getParent());
      Path tmp = Files.createTempFile(dst.getParent(), sha, ".tmp");
      Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
      String copied = sha256(tmp);
      if (!copied.equals(sha)) {
        Files.deleteIfExists(tmp);
        throw new IllegalStateException("artifact store " + root + ": " + file + " changed "
            + "while it was stored (SHA-256 " + sha + ", then " + copied + ")");
      }
      if (Files.isDirectory(dst, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(tmp);
        throw new IllegalStateException("artifact store " + root + ": " + dst + " is a folder,"
            + " not an artefact: remove it");
      }
      Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("artifact store " + root + ": cannot store " + file + ": "
          + e.getMessage(), e);
    }
    return sha;
  }

  /** Whether the store holds a file of this checksum (not verified: {@link #get} does). */
  public boolean contains(String sha) {
    return Files.isRegularFile(path(sha));
  }

  /**
   * The stored file of a checksum, verified. Missing here, or corrupt here, it is fetched from
   * the remote (when there is one) and verified before use; fails naming the checksum, the
   * store and the remote.
   */
  public Path get(String sha) {
    Path p = path(sha);
    if (Files.isRegularFile(p)) {
      String actual = sha256(p);
      if (actual.equals(sha)) {
        return p;
      }
      if (remote == null) {
        throw new IllegalStateException("artifact " + p + " is corrupt: its SHA-256 is "
            + actual);
      }
      LOG.log(System.Logger.Level.WARNING, "artifact " + p + " is corrupt (its SHA-256 is "
          + actual + "): fetching it again from " + remote.describe());
    }
    if (remote == null) {
      throw new IllegalArgumentException("artifact " + sha + " is not in the store " + root
          + " (--artifacts; without the platform, as with --direct, nothing is fetched from "
          + "Kafka)");
    }
    try {
      Files.createDirectories(p.getParent());
      Path tmp = Files.createTempFile(p.getParent(), sha, ".fetch");
      try {
        if (!remote.fetch(sha, tmp)) {
          throw new IllegalArgumentException("artifact " + sha + " is neither in the store "
              + root + " nor on " + remote.describe());
        }
        String fetched = sha256(tmp);
        if (!fetched.equals(sha)) {
          throw new IllegalStateException("artifact " + sha + " fetched from "
              + remote.describe() + " has SHA-256 " + fetched);
        }
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("artifact store " + root + ": cannot write " + p + ": "
          + e.getMessage(), e);
    }
    return p;
  }

  private Path path(String sha) {
    if (sha == null || !SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("not a SHA-256 artifact name: " + sha);
    }
    return root.resolve("sha256").resolve(sha.substring(0, 2)).resolve(sha);
  }

  /** SHA-256 of a file, lower-case hex. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int r = in.read(buf); r > 0; r = in.read(buf)) {
        md.update(buf, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of a string (UTF-8), lower-case hex. */
  public static String sha256(String s) {
    return sha256(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** SHA-256 of bytes, lower-case hex. */
  public static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
