package org.reffakd.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Kafka is: an external cluster, or (by default) the embedded broker. */
final class KafkaOptions {

  @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "bootstrap servers of an "
      + "external Kafka cluster (default: an embedded single-node broker in this JVM)")
  String bootstrap;

  @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client "
      + "properties for the external cluster (SASL/TLS settings), merged into every client")
  Path clientConfig;

  @Option(names = "--kafka-dir", paramLabel = "DIR", description = "data folder of the "
      + "embedded broker (default: RUN_DIR/kafka for run, runs/kafka otherwise); reuse one "
      + "to keep topics between commands")
  Path embeddedDir;

  @Option(names = "--artifacts", paramLabel = "DIR", description = "the content-addressed "
      + "artefact store (encoder and teacher checkpoints by SHA-256; default: artifacts/ under "
      + "the runs root). Through the platform it is a local cache: artefacts are also published "
      + "to the Kafka topic reffakd.artifacts, and what a stage needs that is not here (or is "
      + "damaged here) is fetched from there and verified; workers on other machines need no "
      + "shared disk")
  Path artifacts;

  /**
   * Platform options, with the embedded broker's folder defaulting to {@code defaultDir} and
   * the artefact store to {@code defaultArtifacts}.
   */
  org.reffakd.platform.Platform.Options options(Path defaultDir, Path defaultArtifacts) {
    return new org.reffakd.platform.Platform.Options(bootstrap, clientConfig,
        embeddedDir != null ? embeddedDir : defaultDir,
        artifacts != null ? artifacts : defaultArtifacts);
  }
}
