package org.reffakd.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.bus.Addresses;
import org.reffakd.platform.bus.BusProgress;
import org.reffakd.platform.metrics.PlatformMetrics;
import org.reffakd.study.StudyReport;

/**
 * The dashboard in a real browser (Debian's headless Chromium through chromedriver): the page of
 * a run opened before the run starts, a short real run publishing progress on the bus while the
 * page is open, the curves growing from the event stream, the 10 x 10 similarity heat map, the
 * soft labels and the reconstructions once the run ends, the list and the comparison views, and
 * not one console error. Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {

  static final Path CHROMIUM = Path.of(System.getProperty("reffakd.chromium",
      "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("reffakd.chromedriver",
      "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final String LIVE = "fmnist-reffakd-live";
  static final String BASELINE = "fmnist-ce-baseline";

  @TempDir
  Path tmp;

  @Test
  void liveRunInHeadlessChromium() throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser test needs Debian's Chromium and its driver (" + CHROMIUM + ", "
            + CHROMEDRIVER + "): apt-get install chromium chromium-driver (.ci/run does)");
    Path data = TinyRun.data(tmp.resolve("data"), 6000, 1000);
    Path runs = tmp.resolve("runs");
    // a finished cross-entropy baseline to compare with
    TinyRun.run(TinyRun.config(data, 1, 2, "ce", 64), runs.resolve(BASELINE), Progress.NONE);

    browse(runs, (driver, js, base, vertx) -> {
      // the run is announced (as the pipeline does) and its page opened before training starts
      Path dir = runs.resolve(LIVE);
      RunConfig cfg = TinyRun.config(data, 2, 6, "reffakd", 64);
      JsonObject status = new JsonObject().put("run", LIVE).put("dir", dir.toString())
          .put("dataset", cfg.dataset()).put("loss", cfg.objective().name());
      vertx.eventBus().publish(Addresses.RUN_STATUS, status.copy().put("status", "started"));
      driver.get(base + "#/run/" + LIVE);
      waitFor("the page to connect to the event stream", 20, () ->
          "live".equals(js.executeScript("return document.getElementById('conn').textContent")));
      waitFor("the running badge", 10, () ->
          !driver.findElements(By.cssSelector("h1 .badge.running")).isEmpty());

      CompletableFuture<org.reffakd.nn.run.RunResult> run = CompletableFuture.supplyAsync(() ->
          TinyRun.run(cfg, dir, new BusProgress(vertx.eventBus(), LIVE, Progress.NONE)));
      // the curves grow while the run trains: watch the number of points in the charts
      List<Long> seen = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 120_000;
      while (!run.isDone() && System.currentTimeMillis() < deadline) {
        long n = points(js);
        if (n > 0 && (seen.isEmpty() || n > seen.get(seen.size() - 1))) {
          seen.add(n);
        }
        Thread.sleep(150);
      }
      org.reffakd.nn.run.RunResult result = run.get(60, TimeUnit.SECONDS);
      assertTrue(seen.size() >= 3, "the charts should have grown at least three times while "
          + "the run trained (pushed by the event stream), saw point counts " + seen);
      vertx.eventBus().publish(Addresses.RUN_STATUS, status.copy().put("status", "finished")
          .put("test_accuracy", org.reffakd.platform.bus.Messages.json(result.accuracy())));

      waitFor("the finished badge", 15, () ->
          !driver.findElements(By.cssSelector("h1 .badge.finished")).isEmpty());
      waitFor("the 10 x 10 heat map", 15, () ->
          driver.findElements(By.cssSelector("#similarity .heat-cell")).size() == 100);
      assertEquals(100, driver.findElements(By.cssSelector("#soft-labels td.soft-cell")).size());
      assertEquals("T-shirt/top", driver.findElement(By.cssSelector("#similarity .heat-row"))
          .getText());
      waitFor("ten reconstructions next to their originals", 30, () -> ((Number) js.executeScript(
          "return [...document.querySelectorAll('#reconstructions img.recon-output')]"
              + ".filter(i => i.complete && i.naturalWidth === 32).length")).intValue() == 10
          && driver.findElements(By.cssSelector("#reconstructions img.recon-original")).size()
          == 10 && driver.findElements(By.cssSelector("#reconstructions img.recon-raw")).size()
          == 10);
      long finalPoints = points(js);
      assertTrue(finalPoints >= 6 * 5, "6 epochs of loss, terms and accuracies, got "
          + finalPoints);
      assertTrue(driver.findElement(By.id("config")).getText().contains("code version"));
      assertTrue(driver.findElement(By.id("timings")).getText().contains("student"));
      Path shot = screenshot(driver, "dashboard-live.png");

      // the list of runs and the comparison of the two
      driver.get(base + "#/");
      waitFor("both runs listed", 10, () ->
          driver.findElements(By.cssSelector("table.runs tbody tr[data-run]")).size() == 2);
      assertTrue(driver.findElement(By.cssSelector("tr[data-run='" + LIVE + "'] .badge"))
          .getText().equals("finished"));
      driver.get(base + "#/compare?runs=" + LIVE + "," + BASELINE);
      waitFor("two runs on the comparison chart", 15, () -> ((Number) js.executeScript(
          "const c = window.reffakdCharts && window.reffakdCharts.acc;"
              + "return c ? c.data.datasets.filter(d => d.data.length > 0).length : 0"))
          .intValue() == 2);
      assertEquals(8L, points(js) / 2, "6 + 2 epochs on each of the two charts");
      screenshot(driver, "dashboard-compare.png");

      List<String> errors = consoleErrors(driver, js);
      assertTrue(errors.isEmpty(), "console errors: " + errors);
      copyToDocs(shot);
    });
  }

  /**
   * A study being written: its page shows the progress, the routes and the plots, and fills in
   * when the study rewrites its files after more jobs (the page polls), then stops polling.
   */
  @Test
  void studyFillsInAsJobsFinish() throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser test needs Debian's Chromium and its driver");
    Path runs = tmp.resolve("runs");
    Path study = runs.resolve("study-live");
    StudyReport.write(StudyDashboardTest.study(1, 4, tmp.resolve("data")), study);
    browse(runs, (driver, js, base, vertx) -> {
      driver.get(base + "#/");
      waitFor("the study listed", 10, () ->
          !driver.findElements(By.cssSelector("table.studies tr[data-study='study-live']"))
              .isEmpty());
      driver.get(base + "#/study/study-live");
      waitFor("1 / 4 jobs and the running badge", 10, () ->
          driver.findElements(By.cssSelector(".study-progress .count")).stream()
              .anyMatch(e -> e.getText().equals("1 / 4"))
          && !driver.findElements(By.cssSelector("h1 .badge.running")).isEmpty());
      assertEquals(1, driver.findElements(By.cssSelector("table.study-routes tbody tr")).size());
      waitFor("the plots loaded", 15, () -> plotsLoaded(js));

      StudyReport.write(StudyDashboardTest.study(4, 4, tmp.resolve("data")), study); // three more jobs finished
      waitFor("4 / 4 jobs and the finished badge", 20, () ->
          driver.findElements(By.cssSelector(".study-progress .count")).stream()
              .anyMatch(e -> e.getText().equals("4 / 4"))
          && !driver.findElements(By.cssSelector("h1 .badge.finished")).isEmpty());
      assertEquals(2, driver.findElements(By.cssSelector("table.study-routes tbody tr")).size());
      String table = driver.findElement(By.id("study-routes")).getText();
      assertTrue(table.contains("optimistic"), table);
      assertTrue(table.contains("+4.00 pp"), table);
      waitFor("the redrawn plots loaded", 15, () -> plotsLoaded(js));
      screenshot(driver, "dashboard-study.png");
      List<String> errors = consoleErrors(driver, js);
      assertTrue(errors.isEmpty(), "console errors: " + errors);
    });
  }

  /** A visit to the dashboard: the browser on it, its address and the server's Vert.x. */
  @FunctionalInterface
  private interface Visit {
    void run(WebDriver driver, JavascriptExecutor js, String base, Vertx vertx) throws Exception;
  }

  /**
   * Serves the dashboard over {@code runs} (metrics on) and opens headless Chromium for the
   * visit; both are closed after it.
   */
  private void browse(Path runs, Visit visit) throws Exception {
    PlatformMetrics metrics = new PlatformMetrics(
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    Vertx vertx = metrics.newVertx(new VertxOptions());
    WebDriver browser = null;
    try {
      int port = DashboardServerTest.await(DashboardServer.start(vertx,
          new DashboardOptions("127.0.0.1", 0, runs, null), metrics)).actualPort();
      browser = chromium();
      visit.run(browser, (JavascriptExecutor) browser, "http://127.0.0.1:" + port + "/", vertx);
    } finally {
      if (browser != null) {
        browser.quit();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      metrics.close();
    }
  }

  /** Whether the study page's plots are there and all loaded. */
  private static boolean plotsLoaded(JavascriptExecutor js) {
    return ((Number) js.executeScript(
        "const im = [...document.querySelectorAll('#study-plots img')];"
            + "return im.length > 0 && im.every(i => i.complete && i.naturalWidth > 100)"
            + " ? im.length : 0")).intValue() > 0;
  }

  private WebDriver chromium() {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,2300",
        "--user-data-dir=" + tmp.resolve("chromium-profile"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    WebDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return d;
  }

  /** Data points in the charts of the page shown. */
  private static long points(JavascriptExecutor js) {
    Object n = js.executeScript("const cs = window.reffakdCharts; if (!cs) return 0;"
        + "return Object.values(cs).reduce((n, c) => n + c.data.datasets"
        + ".reduce((m, d) => m + d.data.length, 0), 0);");
    return ((Number) n).longValue();
  }

  private static void waitFor(String what, int seconds, Supplier<Boolean> condition)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        // the page redrew between finding an element and reading it: look again
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
  }

  /** SEVERE browser log entries and the errors the page's own collector caught. */
  private static List<String> consoleErrors(WebDriver driver, JavascriptExecutor js) {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    Object collected = js.executeScript("return window.__reffakdErrors || []");
    if (collected instanceof List<?> l) {
      l.forEach(x -> errors.add("page: " + x));
    }
    return errors;
  }

  private static Path screenshot(WebDriver driver, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name);
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(file, png);
    return file;
  }

  /** With -Dreffakd.docs.screenshot=true, the run page's picture becomes docs/dashboard.png. */
  private static void copyToDocs(Path shot) throws Exception {
    if (Boolean.getBoolean("reffakd.docs.screenshot")) {
      Path docs = Path.of("..", "..", "docs", "dashboard.png");
      Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
