package org.reffakd.platform.study;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.reffakd.platform.study.StudyStats.RouteSummary;

/** The study's PNG plots, drawn with JFreeChart, headless. */
final class StudyPlots {

  static final int WIDTH = 900;
  static final int HEIGHT = 500;
  /** Heat maps are square-ish: a matrix reads best that way. */
  static final int HEATMAP_WIDTH = 800;
  static final int HEATMAP_HEIGHT = 700;

  private StudyPlots() {}

  /** One plot written: its file name under plots/ and a caption. */
  record Plot(String file, String caption) {}

  /** The file name part for a value: anything but [A-Za-z0-9._-] becomes '_'. */
  static String safe(String s) {
    String r = s.replaceAll("[^A-Za-z0-9._-]", "_");
    return r.isEmpty() ? "_" : r;
  }

  static String fraction(double f) {
    String s = Double.toString(f);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  static void headless() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Draws every plot into dir (created if needed); returns them in report order. */
  static List<Plot> drawAll(StudyData data, List<RouteSummary> summaries, Path dir)
      throws IOException {
    headless();
    List<Plot> plots = new ArrayList<>();
    if (!summaries.isEmpty()) {
      save(accuracy(data, summaries), dir.resolve("accuracy.png"), WIDTH, HEIGHT);
      plots.add(new Plot("accuracy.png", "Test top-1 at the best-validation epoch, mean ± std "
          + "over seeds, per route and train fraction"));
      for (double f : StudyStats.fractions(data)) {
        List<RouteSummary> at = summaries.stream().filter(s -> s.trainFraction() == f).toList();
        if (at.isEmpty()) {
          continue;
        }
        String file = "curves-frac" + safe(fraction(f)) + ".png";
        save(curves(data, at, f), dir.resolve(file), WIDTH, HEIGHT);
        plots.add(new Plot(file, "Validation (solid) and test (dashed) top-1 per epoch, mean "
            + "over seeds, train fraction " + fraction(f)));
      }
      save(cost(summaries), dir.resolve("cost.png"), WIDTH, HEIGHT);
      plots.add(new Plot("cost.png", "Accuracy against the route's total training cost "
          + "(autoencoder and teacher included), log scale"));
    }
    for (SoftLabelMatrix m : data.softLabels()) {
      String tag = safe(m.variant()) + "-seed" + safe(Long.toString(m.seed()));
      if (m.similarity() != null && m.similarity().length > 0) {
        String file = "heatmap-" + tag + ".png";
        save(heatmap("Class similarity, variant " + m.variant() + ", seed " + m.seed(),
            m.classes(), m.similarity(), "column class", "class"), dir.resolve(file),
            HEATMAP_WIDTH, HEATMAP_HEIGHT);
        plots.add(new Plot(file, "Class similarity (variant " + m.variant() + ", seed "
            + m.seed() + ")"));
      }
      if (m.soft() != null && m.soft().length > 0) {
        String file = "softlabels-" + tag + ".png";
        save(heatmap("Soft labels, variant " + m.variant() + ", seed " + m.seed(),
            m.classes(), m.soft(), "soft-label class", "true class"), dir.resolve(file),
            HEATMAP_WIDTH, HEATMAP_HEIGHT);
        plots.add(new Plot(file, "Soft labels (variant " + m.variant() + ", seed " + m.seed()
            + "; row = true class)"));
      }
    }
    return plots;
  }

  static void save(JFreeChart chart, Path target, int w, int h) throws IOException {
    AtomicFiles.write(target, tmp -> ChartUtils.saveChartAsPNG(tmp.toFile(), chart, w, h));
  }

  static JFreeChart accuracy(StudyData data, List<RouteSummary> summaries) {
    DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
    for (RouteSummary s : summaries) {
      double std = Double.isNaN(s.headlineStats().std()) ? 0 : s.headlineStats().std();
      ds.add(100 * s.headlineStats().mean(), 100 * std, s.route(),
          "train fraction " + fraction(s.trainFraction()));
    }
    NumberAxis y = new NumberAxis("test top-1 at best-val epoch (%)");
    y.setAutoRangeIncludesZero(false);
    StatisticalBarRenderer r = new StatisticalBarRenderer();
    r.setErrorIndicatorPaint(Color.BLACK);
    r.setDrawBarOutline(true);
    r.setIncludeBaseInRange(false);
    CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(null), y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart(data.dataset() + ": test top-1 at the best-validation epoch (mean ± std over "
        + "seeds)", plot, true);
  }

  static JFreeChart curves(StudyData data, List<RouteSummary> at, double fraction) {
    XYSeriesCollection ds = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    DefaultDrawingSupplier colours = new DefaultDrawingSupplier();
    int series = 0;
    for (RouteSummary s : at) {
      TreeMap<Integer, double[]> val = new TreeMap<>();
      TreeMap<Integer, double[]> test = new TreeMap<>();
      for (JobResult j : s.jobs()) {
        for (EpochPoint p : j.curve()) {
          add(val, p.epoch(), p.valTop1());
          add(test, p.epoch(), p.testTop1());
        }
      }
      Paint paint = colours.getNextPaint();
      for (boolean isTest : new boolean[] {false, true}) {
        XYSeries xy = new XYSeries(s.route() + (isTest ? " (test)" : " (val)"), true, false);
        (isTest ? test : val).forEach((e, sum) -> {
          if (sum[1] > 0) {
            xy.add(e.doubleValue(), 100 * sum[0] / sum[1]);
          }
        });
        ds.addSeries(xy);
        r.setSeriesPaint(series, paint);
        r.setSeriesShapesVisible(series, xy.getItemCount() < 60);
        r.setSeriesStroke(series, isTest
            ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f)
            : new BasicStroke(2f));
        series++;
      }
    }
    NumberAxis x = new NumberAxis("epoch");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis("top-1 (%), mean over seeds");
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(ds, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart(data.dataset() + ": validation (solid) and test (dashed) top-1, train fraction "
        + fraction(fraction), plot, true);
  }

  private static void add(Map<Integer, double[]> m, int epoch, double v) {
    if (!Double.isNaN(v)) {
      double[] s = m.computeIfAbsent(epoch, e -> new double[2]);
      s[0] += v;
      s[1]++;
    }
  }

  static JFreeChart cost(List<RouteSummary> summaries) {
    boolean flops = summaries.stream().allMatch(s -> positive(s.cost().total().trainingFlops()));
    boolean wall = summaries.stream().allMatch(s -> positive(s.cost().total().wallSeconds()));
    if (!flops && !wall) {
      // take whichever is known for more routes
      long nf = summaries.stream().filter(s -> positive(s.cost().total().trainingFlops())).count();
      long nw = summaries.stream().filter(s -> positive(s.cost().total().wallSeconds())).count();
      flops = nf >= nw;
    }
    boolean useFlops = flops;
    // one series (one colour) per route; each point labelled "route @ fraction"
    XYSeriesCollection ds = new XYSeriesCollection();
    Map<String, XYSeries> byRoute = new LinkedHashMap<>();
    Map<String, String> labels = new java.util.HashMap<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (RouteSummary s : summaries) {
      double x = useFlops ? s.cost().total().trainingFlops() : s.cost().total().wallSeconds();
      double y = s.headlineStats().mean();
      if (!positive(x) || Double.isNaN(y)) {
        continue;
      }
      XYSeries xy = byRoute.computeIfAbsent(s.route(), r -> {
        XYSeries n = new XYSeries(r, false, true);
        ds.addSeries(n);
        return n;
      });
      xy.add(x, 100 * y);
      labels.put(ds.indexOf(xy.getKey()) + ":" + (xy.getItemCount() - 1),
          s.route() + " @ " + fraction(s.trainFraction()));
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    LogAxis xAxis = new LogAxis(useFlops
        ? "total training FLOPs (computed; autoencoder and teacher included)"
        : "total wall seconds (measured; autoencoder and teacher included)");
    xAxis.setSmallestValue(1e-9);
    if (hi > 0) {
      double from = Math.floor(Math.log10(lo / 1.5));
      double to = Math.ceil(Math.log10(hi * 1.5));
      xAxis.setRange(Math.pow(10, from), Math.pow(10, to));
      if (to - from <= 12) {
        xAxis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
      }
    } else {
      xAxis.setRange(1, 10);
    }
    NumberAxis y = new NumberAxis("test top-1 at best-val epoch (%), mean over seeds");
    y.setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    r.setDefaultItemLabelGenerator((dataset, series, item) -> labels.get(series + ":" + item));
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    XYPlot plot = new XYPlot(ds, xAxis, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setNoDataMessage("no cost figures known");
    // forward, so the routes get the same colours as in the other charts
    plot.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
    return chart("Accuracy against total training cost (each route pays the full autoencoder "
        + "and teacher cost)", plot, false);
  }

  private static boolean positive(double v) {
    return v > 0 && !Double.isInfinite(v);
  }

  static JFreeChart heatmap(String title, List<String> classes, double[][] m, String xLabel,
      String yLabel) {
    int rows = m.length;
    int cols = 0;
    for (double[] row : m) {
      cols = Math.max(cols, row.length);
    }
    double[][] xyz = new double[3][rows * cols];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int k = i * cols + j;
        double v = j < m[i].length ? m[i][j] : Double.NaN;
        xyz[0][k] = j;
        xyz[1][k] = i;
        xyz[2][k] = v;
        if (!Double.isNaN(v) && !Double.isInfinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (!(min < max)) {
      min = Double.isInfinite(min) ? 0 : min;
      max = min + 1;
    }
    DefaultXYZDataset ds = new DefaultXYZDataset();
    ds.addSeries("values", xyz);
    LookupPaintScale scale = new LookupPaintScale(min, max, Color.LIGHT_GRAY);
    int steps = 64;
    Color from = new Color(255, 255, 255);
    Color to = new Color(8, 48, 107);
    for (int s = 0; s < steps; s++) {
      double t = s / (double) (steps - 1);
      scale.add(min + (max - min) * s / steps, new Color(
          (int) Math.round(from.getRed() + t * (to.getRed() - from.getRed())),
          (int) Math.round(from.getGreen() + t * (to.getGreen() - from.getGreen())),
          (int) Math.round(from.getBlue() + t * (to.getBlue() - from.getBlue()))));
    }
    XYBlockRenderer r = new XYBlockRenderer();
    r.setBlockWidth(1);
    r.setBlockHeight(1);
    r.setPaintScale(scale);
    ValueAxis x = axis(xLabel, classes, cols);
    ValueAxis y = axis(yLabel, classes, rows);
    if (cols > 8) {
      x.setVerticalTickLabels(true);
    }
    y.setInverted(true);
    XYPlot plot = new XYPlot(ds, x, y, r);
    plot.setBackgroundPaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    if (rows <= 12 && cols <= 12) {
      Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < m[i].length; j++) {
          double v = m[i][j];
          XYTextAnnotation a = new XYTextAnnotation(
              String.format(Locale.ROOT, "%.2f", v), j, i);
          a.setFont(font);
          a.setPaint((v - min) / (max - min) > 0.55 ? Color.WHITE : Color.BLACK);
          plot.addAnnotation(a);
        }
      }
    }
    JFreeChart chart = chart(title, plot, false);
    NumberAxis legendAxis = new NumberAxis();
    legendAxis.setRange(min, max);
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 40, 4);
    legend.setStripWidth(15);
    chart.addSubtitle(legend);
    return chart;
  }

  private static ValueAxis axis(String label, List<String> classes, int n) {
    ValueAxis a;
    if (classes.size() == n && n <= 40) {
      SymbolAxis s = new SymbolAxis(label, classes.toArray(new String[0]));
      s.setGridBandsVisible(false);
      a = s;
    } else {
      NumberAxis num = new NumberAxis(label + " (index)");
      num.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      a = num;
    }
    a.setRange(-0.5, n - 0.5);
    return a;
  }

  private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot, boolean legend) {
    JFreeChart c = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, legend);
    c.setBackgroundPaint(Color.WHITE);
    c.setPadding(new org.jfree.chart.ui.RectangleInsets(4, 8, 4, 20));
    return c;
  }
}
