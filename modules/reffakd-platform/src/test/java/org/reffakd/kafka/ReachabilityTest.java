package org.reffakd.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reffakd.platform.Platform;

/**
 * An unreachable cluster fails the platform's start within about 15 s with one line naming the
 * address: nothing listening (127.0.0.1:1), and a host name that does not resolve.
 */
class ReachabilityTest {

  @Test
  void nothingListeningIsNamedInOneLineWithinSeconds() {
    assertFailsFast("127.0.0.1:1", "no broker answered within 10000 ms");
  }

  @Test
  void anUnresolvableHostIsNamedInOneLineWithinSeconds() {
    assertFailsFast("no-such-host.invalid:9092", "the host name does not resolve");
  }

  private static void assertFailsFast(String address, String reason) {
    long t0 = System.nanoTime();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Platform.start(new Platform.Options(address, null, null)).close());
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 15, "failed after " + seconds + " s: " + e.getMessage());
    assertEquals("cannot reach Kafka at " + address + ": " + reason, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
