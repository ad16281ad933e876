package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code reffakd serve} processes on one runs folder: the second refuses with one line
 * naming the folder and the first's process id, before it touches the embedded broker's files
 * (no Kafka stack trace), and the first keeps serving, its broker intact.
 */
class TwoServesTest {

  @TempDir
  Path tmp;

  static StudyWorkersTest.Child serve(Path runs) throws Exception {
    return StudyWorkersTest.Child.start("1g", "serve", "--runs", runs.toString(), "--port", "0");
  }

  @Test
  void aSecondServeOnTheSameRunsFolderRefusesAndTheFirstGoesOn() throws Exception {
    Path runs = tmp.resolve("runs");
    StudyWorkersTest.Child first = serve(runs);
    try {
      StudyWorkersTest.await("the first serve", () -> first.lines().stream()
          .anyMatch(l -> l.startsWith("dashboard: http://")) || !first.process().isAlive(), 120);
      assertTrue(first.process().isAlive(), String.join("\n", first.lines()));
      String url = first.lines().stream().filter(l -> l.startsWith("dashboard: http://"))
          .findFirst().orElseThrow().split("\\s+")[1];

      StudyWorkersTest.Child second = serve(runs);
      assertTrue(second.process().waitFor(120, TimeUnit.SECONDS), "the second serve runs on");
      Thread.sleep(300); // the last lines
      String out = String.join("\n", second.lines());
      assertEquals(1, second.process().exitValue(), out);
      List<String> errors = second.lines().stream().filter(l -> l.startsWith("reffakd: error:"))
          .toList();
      assertEquals(1, errors.size(), out);
      assertTrue(errors.get(0).contains("in use by another reffakd process (pid "
          + first.process().pid() + ")") && errors.get(0).contains(runs.toString()), out);
      assertFalse(out.contains("Exception") || out.contains("\tat "), out);

      // the first still serves, and its broker was not disturbed
      Thread.sleep(2000);
      assertTrue(first.process().isAlive(), String.join("\n", first.lines()));
      HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(url + "health")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), health.body());
      String log = String.join("\n", first.lines());
      assertFalse(log.contains("CorruptRecordException") || log.contains("InternalError"), log);
    } finally {
      first.process().destroy();
      first.process().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
