package org.reffakd.study;

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
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.reffakd.study.StudyStats.RouteSummary;

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

  /** Per-seed points are drawn wherever a group has fewer seeds than this. */
  static final int SEED_POINTS_BELOW = 10;
  /** Height of one panel of a small-multiples chart, in pixels. */
  static final int PANEL_HEIGHT = 170;

  /** Draws every plot into dir (created if needed); returns them in report order. */
  static List<Plot> drawAll(StudyData data, List<RouteSummary> summaries, Path dir)
      throws IOException {
    headless();
    List<Plot> plots = new ArrayList<>();
    if (!summaries.isEmpty()) {
      Map<String, Paint> colours = colours(summaries);
      List<StudyStats.Setting> settings = StudyStats.settings(data);
      boolean anyPaired = summaries.stream().anyMatch(x -> x.paired() != null);
      if (anyPaired) {
        save(differences(data, summaries, settings, colours), dir.resolve("differences.png"),
            WIDTH, 140 + PANEL_HEIGHT * settings.size());
        plots.add(new Plot("differences.png", "The comparison: paired difference against "
            + data.baseline() + " (test top-1 at the best-validation epoch, percentage points),"
            + " mean and 95% interval per route, one panel per training fraction and epoch "
            + "budget; dots are the per-seed differences when there are fewer than "
            + SEED_POINTS_BELOW + " seeds"));
      }
      if (StudyStats.fractions(data).size() > 1) {
        List<Integer> budgets = StudyStats.epochBudgets(data);
        // each fraction at a budget of its own (--epochs-at): one panel joins them
        boolean ownBudgets = budgets.size() > 1 && StudyStats.fractions(data).stream()
            .allMatch(f -> settings.stream().filter(x -> x.fraction() == f).count() == 1);
        if (ownBudgets) {
          budgets = List.of(-1);
        }
        save(learningCurve(data, summaries, budgets, colours), dir.resolve("learning-curve.png"),
            WIDTH, 140 + 2 * PANEL_HEIGHT * budgets.size());
        plots.add(new Plot("learning-curve.png", "Test top-1 at the best-validation epoch "
            + "against the training fraction (log scale): mean over seeds per route, band = "
            + "± std, " + (ownBudgets ? "each fraction at its own epoch budget"
                : "one panel per epoch budget")));
      }
      save(accuracy(data, summaries, settings, colours), dir.resolve("accuracy.png"), WIDTH,
          140 + PANEL_HEIGHT * settings.size());
      plots.add(new Plot("accuracy.png", "Test top-1 at the best-validation epoch, mean ± std "
          + "over seeds, per route, one panel per training fraction and epoch budget (dots: "
          + "seeds)"));
      boolean oneBudget = StudyStats.epochBudgets(data).size() == 1;
      for (StudyStats.Setting st : settings) {
        List<RouteSummary> at = summaries.stream().filter(x -> x.setting().equals(st)).toList();
        if (at.isEmpty()) {
          continue;
        }
        String file = "curves-frac" + safe(fraction(st.fraction()))
            + (oneBudget ? "" : "-e" + st.epochs()) + ".png";
        save(curves(data, at, st, colours), dir.resolve(file), WIDTH,
            120 + PANEL_HEIGHT * at.size());
        plots.add(new Plot(file, "Validation (solid) and test (dashed) top-1 per epoch, mean "
            + "over seeds, one panel per route (grey: " + data.baseline() + "'s test), train "
            + st.label()));
      }
      save(cost(summaries), dir.resolve("cost.png"), WIDTH, HEIGHT);
      plots.add(new Plot("cost.png", "Accuracy against the route's total training cost "
          + "(autoencoder and teacher included), log scale; a route's points are its training "
          + "fractions and budgets"));
    }
    // heat maps of the first seed's matrices only (one per variant and fraction)
    long firstSeed = data.softLabels().stream().mapToLong(SoftLabelMatrix::seed).min()
        .orElse(0);
    for (SoftLabelMatrix m : data.softLabels()) {
      if (m.seed() != firstSeed) {
        continue;
      }
      String at = m.fraction() == 1.0 ? "" : ", fraction " + fraction(m.fraction());
      String tag = safe(m.variant()) + "-seed" + safe(Long.toString(m.seed()))
          + (m.fraction() == 1.0 ? "" : "-frac" + safe(fraction(m.fraction())));
      if (m.similarity() != null && m.similarity().length > 0) {
        String file = "heatmap-" + tag + ".png";
        save(heatmap("Class similarity, variant " + m.variant() + ", seed " + m.seed() + at,
            m.classes(), m.similarity(), "column class", "class"), dir.resolve(file),
            HEATMAP_WIDTH, HEATMAP_HEIGHT);
        plots.add(new Plot(file, "Class similarity (variant " + m.variant() + ", seed "
            + m.seed() + at + ")"));
      }
      if (m.soft() != null && m.soft().length > 0) {
        String file = "softlabels-" + tag + ".png";
        save(heatmap("Soft labels, variant " + m.variant() + ", seed " + m.seed() + at,
            m.classes(), m.soft(), "soft-label class", "true class"), dir.resolve(file),
            HEATMAP_WIDTH, HEATMAP_HEIGHT);
        plots.add(new Plot(file, "Soft labels (variant " + m.variant() + ", seed " + m.seed()
            + at + "; row = true class)"));
      }
    }
    return plots;
  }

  static void save(JFreeChart chart, Path target, int w, int h) throws IOException {
    AtomicFiles.write(target, tmp -> ChartUtils.saveChartAsPNG(tmp.toFile(), chart, w, h));
  }

  /** One colour per route, the same in every chart, in the summaries' order. */
  static Map<String, Paint> colours(List<RouteSummary> summaries) {
    Paint[] palette = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2),
        new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    Map<String, Paint> m = new LinkedHashMap<>();
    DefaultDrawingSupplier more = new DefaultDrawingSupplier();
    for (RouteSummary x : summaries) {
      m.computeIfAbsent(x.route(), r -> m.size() < palette.length ? palette[m.size()]
          : more.getNextPaint());
    }
    return m;
  }

  /** A value per route of one panel: centre, low, high (NaN: none) and per-seed points. */
  private record Mark(double centre, double low, double high, List<Double> seeds) {}

  /**
   * Small multiples of point-and-interval marks: one panel per setting, the routes along a
   * shared axis, each route in its colour, per-seed dots beside the mark when the group has
   * fewer than {@link #SEED_POINTS_BELOW} seeds, and a line at {@code zeroLine} (null: none).
   */
  private static JFreeChart marks(String title, String yLabel, List<String> routes,
      List<StudyStats.Setting> settings, Map<String, Paint> colours,
      java.util.function.BiFunction<String, StudyStats.Setting, Mark> markOf, Double zeroLine) {
    SymbolAxis x = new SymbolAxis(null, routes.toArray(new String[0]));
    x.setGridBandsVisible(false);
    x.setRange(-0.5, routes.size() - 0.5);
    if (routes.size() > 4) {
      x.setVerticalTickLabels(true);
    }
    org.jfree.chart.plot.CombinedDomainXYPlot combined =
        new org.jfree.chart.plot.CombinedDomainXYPlot(x);
    combined.setGap(12);
    // with a zero line (the differences), every panel shares one scale: an effect looks as
    // large in one panel as in another, and a tiny one is not stretched over a whole panel
    List<NumberAxis> axes = new java.util.ArrayList<>();
    double[] span = {zeroLine == null ? Double.NaN : zeroLine,
        zeroLine == null ? Double.NaN : zeroLine};
    for (StudyStats.Setting st : settings) {
      org.jfree.data.xy.YIntervalSeriesCollection means =
          new org.jfree.data.xy.YIntervalSeriesCollection();
      XYSeriesCollection dots = new XYSeriesCollection();
      org.jfree.chart.renderer.xy.XYErrorRenderer er =
          new org.jfree.chart.renderer.xy.XYErrorRenderer();
      er.setDrawXError(false);
      er.setErrorStroke(new BasicStroke(2f));
      er.setCapLength(10);
      er.setDefaultLinesVisible(false);
      XYLineAndShapeRenderer dr = new XYLineAndShapeRenderer(false, true);
      int series = 0;
      for (int i = 0; i < routes.size(); i++) {
        Mark m = markOf.apply(routes.get(i), st);
        if (m == null || Double.isNaN(m.centre())) {
          continue;
        }
        org.jfree.data.xy.YIntervalSeries ys =
            new org.jfree.data.xy.YIntervalSeries(routes.get(i));
        double lo = Double.isNaN(m.low()) ? m.centre() : m.low();
        double hi = Double.isNaN(m.high()) ? m.centre() : m.high();
        ys.add(i, 100 * m.centre(), 100 * lo, 100 * hi);
        means.addSeries(ys);
        if (zeroLine != null) {
          span[0] = Math.min(span[0], 100 * Math.min(lo, m.centre()));
          span[1] = Math.max(span[1], 100 * Math.max(hi, m.centre()));
          for (double v : m.seeds()) {
            if (!Double.isNaN(v)) {
              span[0] = Math.min(span[0], 100 * v);
              span[1] = Math.max(span[1], 100 * v);
            }
          }
        }
        Paint paint = colours.getOrDefault(routes.get(i), Color.DARK_GRAY);
        er.setSeriesPaint(series, paint);
        er.setSeriesShape(series, new java.awt.geom.Rectangle2D.Double(-5, -5, 10, 10));
        XYSeries d = new XYSeries(routes.get(i) + " seeds", false, true);
        if (m.seeds().size() < SEED_POINTS_BELOW) {
          int k = 0;
          for (double v : m.seeds()) {
            if (!Double.isNaN(v)) {
              // beside the mark, spread a little so equal values stay visible
              d.add(i + 0.1 + 0.025 * (k++ % 4), 100 * v);
            }
          }
        }
        dots.addSeries(d);
        dr.setSeriesPaint(series, paint);
        dr.setSeriesShape(series, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
        series++;
      }
      NumberAxis y = new NumberAxis(st.label());
      y.setAutoRangeIncludesZero(zeroLine != null);
      axes.add(y);
      y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      XYPlot panel = new XYPlot(means, null, y, er);
      panel.setDataset(1, dots);
      panel.setRenderer(1, dr);
      panel.setBackgroundPaint(Color.WHITE);
      panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
      panel.setDomainGridlinesVisible(false);
      if (zeroLine != null) {
        org.jfree.chart.plot.ValueMarker zero = new org.jfree.chart.plot.ValueMarker(zeroLine);
        zero.setPaint(Color.BLACK);
        zero.setStroke(new BasicStroke(1.2f));
        panel.addRangeMarker(zero);
      }
      combined.add(panel, 1);
    }
    if (zeroLine != null && span[1] > span[0]) {
      double pad = 0.08 * (span[1] - span[0]);
      for (NumberAxis y : axes) {
        y.setRange(span[0] - pad, span[1] + pad);
      }
    }
    JFreeChart c = chart(title, combined, false);
    c.addSubtitle(new org.jfree.chart.title.TextTitle(yLabel,
        new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    return c;
  }

  /** The headline figure: each route's paired difference against the baseline, per setting. */
  static JFreeChart differences(StudyData data, List<RouteSummary> summaries,
      List<StudyStats.Setting> settings, Map<String, Paint> colours) {
    List<String> routes = summaries.stream().filter(x -> !x.isBaseline())
        .map(RouteSummary::route).distinct().toList();
    return marks(data.dataset() + ": paired difference against " + data.baseline(),
        "route − " + data.baseline() + " in accuracy points (test top-1 at the best-validation "
            + "epoch): mean and 95% t interval (square), seeds (dots); line at 0: no difference",
        routes, settings, colours,
        (route, st) -> summaries.stream()
            .filter(x -> x.route().equals(route) && x.setting().equals(st)
                && x.paired() != null && x.paired().n() > 0)
            .findFirst().map(x -> new Mark(x.paired().mean(), x.paired().low(),
                x.paired().high(), x.pairedDifferences())).orElse(null), 0.0);
  }

  static JFreeChart accuracy(StudyData data, List<RouteSummary> summaries,
      List<StudyStats.Setting> settings, Map<String, Paint> colours) {
    List<String> routes = summaries.stream().map(RouteSummary::route).distinct().toList();
    return marks(data.dataset() + ": test top-1 at the best-validation epoch",
        "top-1 (%): mean ± std over seeds (square), seeds (dots); each panel's axis spans its "
            + "own data", routes, settings, colours,
        (route, st) -> summaries.stream()
            .filter(x -> x.route().equals(route) && x.setting().equals(st)).findFirst()
            .map(x -> {
              double m = x.headlineStats().mean();
              double sd = x.headlineStats().std();
              return new Mark(m, Double.isNaN(sd) ? m : m - sd, Double.isNaN(sd) ? m : m + sd,
                  x.headline());
            }).orElse(null), null);
  }

  /** Accuracy against training fraction, one line per route with a ± std band, per budget. */
  static JFreeChart learningCurve(StudyData data, List<RouteSummary> summaries,
      List<Integer> budgets, Map<String, Paint> colours) {
    LogAxis x = new LogAxis("training fraction (labelled images the route has; log scale)");
    x.setSmallestValue(1e-6);
    List<Double> fr = StudyStats.fractions(data);
    x.setRange(fr.get(0) / 1.3, fr.get(fr.size() - 1) * 1.3);
    x.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
    x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1)); // decades: 0.01, 0.1, 1
    x.setMinorTickMarksVisible(true);
    org.jfree.chart.plot.CombinedDomainXYPlot combined =
        new org.jfree.chart.plot.CombinedDomainXYPlot(x);
    combined.setGap(12);
    for (int budget : budgets) {
      org.jfree.data.xy.YIntervalSeriesCollection ds =
          new org.jfree.data.xy.YIntervalSeriesCollection();
      XYSeriesCollection dots = new XYSeriesCollection();
      org.jfree.chart.renderer.xy.DeviationRenderer r =
          new org.jfree.chart.renderer.xy.DeviationRenderer(true, true);
      r.setAlpha(0.12f);
      XYLineAndShapeRenderer dr = new XYLineAndShapeRenderer(false, true);
      int series = 0;
      for (String route : colours.keySet()) {
        List<RouteSummary> rs = summaries.stream().filter(s -> s.route().equals(route)
            && (budget < 0 || s.epochs() == budget)).sorted(java.util.Comparator.comparingDouble(
                RouteSummary::trainFraction)).toList();
        if (rs.isEmpty()) {
          continue;
        }
        org.jfree.data.xy.YIntervalSeries ys = new org.jfree.data.xy.YIntervalSeries(route);
        XYSeries d = new XYSeries(route + " seeds", false, true);
        for (RouteSummary s : rs) {
          double m = s.headlineStats().mean();
          double sd = Double.isNaN(s.headlineStats().std()) ? 0 : s.headlineStats().std();
          ys.add(s.trainFraction(), 100 * m, 100 * (m - sd), 100 * (m + sd));
          if (s.seeds().size() < SEED_POINTS_BELOW) {
            s.headline().forEach(v -> d.add(s.trainFraction(), 100 * v));
          }
        }
        ds.addSeries(ys);
        dots.addSeries(d);
        Paint p = colours.get(route);
        r.setSeriesPaint(series, p);
        r.setSeriesFillPaint(series, p);
        r.setSeriesStroke(series, new BasicStroke(2f));
        r.setSeriesShape(series, new java.awt.geom.Rectangle2D.Double(-3, -3, 6, 6));
        dr.setSeriesPaint(series, p);
        dr.setSeriesShape(series, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
        dr.setSeriesVisibleInLegend(series, false);
        // one legend entry per route: the first panel's
        r.setSeriesVisibleInLegend(series, budget == budgets.get(0));
        series++;
      }
      NumberAxis y = new NumberAxis(budget < 0 ? "top-1 (%), each fraction at its budget"
          : "top-1 (%), " + budget + " epoch" + (budget == 1 ? "" : "s"));
      y.setAutoRangeIncludesZero(false);
      XYPlot panel = new XYPlot(ds, null, y, r);
      panel.setDataset(1, dots);
      panel.setRenderer(1, dr);
      panel.setBackgroundPaint(Color.WHITE);
      panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
      panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
      combined.add(panel, 1);
    }
    return chart(data.dataset() + ": learning curve, test top-1 at the best-validation epoch "
        + "(mean, band ± std, dots = seeds)", combined, true);
  }

  /** Validation and test curves, one panel per route (the baseline's test in grey). */
  static JFreeChart curves(StudyData data, List<RouteSummary> at, StudyStats.Setting st,
      Map<String, Paint> colours) {
    NumberAxis x = new NumberAxis("epoch");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setAutoRangeIncludesZero(false);
    org.jfree.chart.plot.CombinedDomainXYPlot combined =
        new org.jfree.chart.plot.CombinedDomainXYPlot(x);
    combined.setGap(8);
    RouteSummary base = at.stream().filter(RouteSummary::isBaseline).findFirst().orElse(null);
    BasicStroke dashed = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f);
    for (RouteSummary s : at) {
      XYSeriesCollection ds = new XYSeriesCollection();
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
      Paint paint = colours.getOrDefault(s.route(), Color.DARK_GRAY);
      ds.addSeries(mean(s, false, s.route() + " (val)"));
      r.setSeriesPaint(0, paint);
      r.setSeriesStroke(0, new BasicStroke(2f));
      ds.addSeries(mean(s, true, s.route() + " (test)"));
      r.setSeriesPaint(1, paint);
      r.setSeriesStroke(1, dashed);
      if (base != null && base != s) {
        ds.addSeries(mean(base, true, base.route() + " (test)"));
        r.setSeriesPaint(2, Color.GRAY);
        r.setSeriesStroke(2, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {3f, 3f}, 0f));
      }
      NumberAxis y = new NumberAxis(s.route().length() > 28 ? s.route().substring(0, 27) + "…"
          : s.route());
      y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      y.setAutoRangeIncludesZero(false);
      XYPlot panel = new XYPlot(ds, null, y, r);
      panel.setBackgroundPaint(Color.WHITE);
      panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
      panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
      combined.add(panel, 1);
    }
    return chart(data.dataset() + ": top-1 (%) per epoch, mean over seeds, train " + st.label(),
        combined, false);
  }

  /** The mean over a route's seeds of its validation or test top-1 per epoch, in percent. */
  private static XYSeries mean(RouteSummary s, boolean test, String name) {
    TreeMap<Integer, double[]> sums = new TreeMap<>();
    for (JobResult j : s.jobs()) {
      for (EpochPoint p : j.curve()) {
        add(sums, p.epoch(), test ? p.testTop1() : p.valTop1());
      }
    }
    XYSeries xy = new XYSeries(name, true, false);
    sums.forEach((e, sum) -> {
      if (sum[1] > 0) {
        xy.add(e.doubleValue(), 100 * sum[0] / sum[1]);
      }
    });
    return xy;
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
    // one series (one colour, one legend entry) per route; its points are its settings
    XYSeriesCollection ds = new XYSeriesCollection();
    Map<String, XYSeries> byRoute = new LinkedHashMap<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (RouteSummary s : summaries) {
      double x = useFlops ? s.cost().total().trainingFlops() : s.cost().total().wallSeconds();
      double y = s.headlineStats().mean();
      if (!positive(x) || Double.isNaN(y)) {
        continue;
      }
      XYSeries xy = byRoute.computeIfAbsent(s.route(), r -> {
        XYSeries n = new XYSeries(r, true, true);
        ds.addSeries(n);
        return n;
      });
      xy.add(x, 100 * y);
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
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    Map<String, Paint> colours = colours(summaries);
    for (int i = 0; i < ds.getSeriesCount(); i++) {
      r.setSeriesPaint(i, colours.getOrDefault(String.valueOf(ds.getSeriesKey(i)),
          Color.DARK_GRAY));
      r.setSeriesStroke(i, new BasicStroke(1.5f));
    }
    XYPlot plot = new XYPlot(ds, xAxis, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setNoDataMessage("no cost figures known");
    plot.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
    return chart("Accuracy against total training cost (each route pays the full autoencoder "
        + "and teacher cost)", plot, true);
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
