package ai.lvm.eval.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small line/scatter chart rendered with Java2D: title, axis labels, round-number ticks, several
 * series with a legend, optional vertical error bars and horizontal dashed reference lines.
 *
 * <p>Built fluently, then rendered with {@link #png()}; rendering does not change the plot. The
 * same plot always gives the same bytes (fixed fonts, no clock, no PNG metadata), so reports can be
 * diffed between runs.
 */
public final class Plot {
  static {
    // The job runs on servers without a display; drawing into a BufferedImage needs none, but AWT
    // would look for one unless told not to. Respect an explicit setting by the caller.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Default size of one chart in pixels. */
  public static final int WIDTH = 800;

  public static final int HEIGHT = 480;

  /** A series' colour chosen by its position in the plot. */
  public static final int AUTO = -1;

  /** How a series' points are joined. */
  public enum Line {
    SOLID,
    DASHED,
    /** Markers only: a scatter. */
    NONE
  }

  /**
   * One data point; {@code low} and {@code high} are the error bar, NaN for none.
   *
   * @param x position on the x axis (the category value on a categorical axis)
   * @param y the value
   * @param low lower end of the error bar, or NaN
   * @param high upper end of the error bar, or NaN
   */
  public record Point(double x, double y, double low, double high) {
    /** A point without an error bar. */
    public static Point of(double x, double y) {
      return new Point(x, y, Double.NaN, Double.NaN);
    }

    /** A point with a vertical error bar from {@code low} to {@code high}. */
    public static Point withError(double x, double y, double low, double high) {
      return new Point(x, y, low, high);
    }

    /** Whether an error bar is drawn. */
    public boolean hasError() {
      return Double.isFinite(low) && Double.isFinite(high);
    }
  }

  /**
   * A named sequence of points, joined in increasing x; several points at one x are all drawn and
   * joined through their mean.
   *
   * @param name the legend label
   * @param points the data
   * @param line how the points are joined
   * @param colour index into the palette, or {@link #AUTO}; series that belong together (a model's
   *     p50 and p99) share one
   */
  public record Series(String name, List<Point> points, Line line, int colour) {
    public Series {
      Objects.requireNonNull(name, "name");
      points = List.copyOf(points);
      Objects.requireNonNull(line, "line");
    }

    /** A solid line in the next free colour. */
    public static Series of(String name, List<Point> points) {
      return new Series(name, points, Line.SOLID, AUTO);
    }

    public Series withLine(Line newLine) {
      return new Series(name, points, newLine, colour);
    }

    public Series withColour(int paletteIndex) {
      return new Series(name, points, line, paletteIndex);
    }
  }

  private record Reference(double y, String label) {}

  // Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale print.
  private static final Color[] PALETTE = {
    new Color(0x0072B2),
    new Color(0xD55E00),
    new Color(0x009E73),
    new Color(0xCC79A7),
    new Color(0xE69F00),
    new Color(0x56B4E9),
    new Color(0x000000),
    new Color(0x8C564B),
  };
  private static final Color BACKGROUND = Color.WHITE;
  private static final Color GRID = new Color(0xE6E6E6);
  private static final Color AXIS = new Color(0x444444);
  private static final Color REFERENCE = new Color(0x777777);
  private static final String FONT = Font.SANS_SERIF;
  private static final float[] DASH = {7f, 5f};

  /**
   * Pixels between the frame and the outermost ticks: data often lands on the first or last tick
   * (epoch 1, a loss of 0.8), and a marker there would be cut in half by the frame.
   */
  private static final int INSET = 8;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Reference> references = new ArrayList<>();
  private boolean categoricalX;
  private boolean percentY;
  private boolean yFromZero;

  public Plot(String title, String xLabel, String yLabel) {
    this.title = Objects.requireNonNull(title, "title");
    this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
    this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
  }

  /**
   * Equally spaced x positions, one per distinct x value, labelled with the value: context sizes
   * 100, 500, 1000, 2000 read better side by side than on a linear axis.
   */
  public Plot categoricalX() {
    categoricalX = true;
    return this;
  }

  /** Y values are proportions in [0, 1], labelled as percent. */
  public Plot percentY() {
    percentY = true;
    return this;
  }

  /** The y axis starts at 0 (or below, for negative data), so differences are not exaggerated. */
  public Plot yFromZero() {
    yFromZero = true;
    return this;
  }

  public Plot add(Series s) {
    series.add(Objects.requireNonNull(s, "series"));
    return this;
  }

  /** A horizontal dashed line across the plot at {@code y}, labelled at its right end. */
  public Plot referenceLine(double y, String label) {
    references.add(new Reference(y, Objects.requireNonNull(label, "label")));
    return this;
  }

  /** The chart at {@link #WIDTH} x {@link #HEIGHT} as PNG bytes. */
  public byte[] png() {
    return Png.encode(render(WIDTH, HEIGHT));
  }

  /** Panels stacked top to bottom, each {@code width} x {@code panelHeight}, as one PNG. */
  public static byte[] stackedPng(int width, int panelHeight, List<Plot> panels) {
    BufferedImage image =
        new BufferedImage(
            width, panelHeight * Math.max(1, panels.size()), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      for (int i = 0; i < panels.size(); i++) {
        panels.get(i).draw(g, new Rectangle(0, i * panelHeight, width, panelHeight));
      }
    } finally {
      g.dispose();
    }
    return Png.encode(image);
  }

  /** The chart as an RGB image. */
  public BufferedImage render(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      draw(g, new Rectangle(0, 0, width, height));
    } finally {
      g.dispose();
    }
    return image;
  }

  private void draw(Graphics2D g, Rectangle area) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setColor(BACKGROUND);
    g.fill(area);

    Font titleFont = new Font(FONT, Font.BOLD, 16);
    Font labelFont = new Font(FONT, Font.PLAIN, 13);
    Font tickFont = new Font(FONT, Font.PLAIN, 11);

    List<LegendEntry> legend = legendLayout(g, area.width - 40);
    int legendHeight = legend.isEmpty() ? 0 : legend.get(legend.size() - 1).row * 18 + 26;
    Rectangle plot =
        new Rectangle(
            area.x + 78, area.y + 42, area.width - 78 - 24, area.height - 42 - 58 - legendHeight);
    if (plot.width < 10 || plot.height < 10) {
      return; // too small to say anything: leave the panel blank rather than draw garbage
    }

    Axes axes = axes(plot);
    drawGridAndTicks(g, plot, axes, tickFont);
    drawReferences(g, plot, axes, tickFont);
    drawSeries(g, axes);
    drawFrame(g, plot);

    g.setColor(Color.BLACK);
    g.setFont(titleFont);
    centre(g, title, area.x + area.width / 2, area.y + 26);
    g.setFont(labelFont);
    centre(g, xLabel, plot.x + plot.width / 2, plot.y + plot.height + 42);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2, area.x + 18, plot.y + plot.height / 2.0);
    centre(g, yLabel, area.x + 18, plot.y + plot.height / 2 + 5);
    g.setTransform(saved);
    if (series.stream().allMatch(s -> s.points().isEmpty())) {
      g.setColor(REFERENCE);
      centre(g, "no data", plot.x + plot.width / 2, plot.y + plot.height / 2);
    }
    drawLegend(g, legend, area.x + 20, plot.y + plot.height + 62);
  }

  /** Data-to-pixel mapping of one render. */
  private record Axes(Rectangle plot, List<Double> categories, NiceTicks xTicks, NiceTicks yTicks) {
    double px(double x, int seriesIndex, int seriesCount) {
      if (categories != null) {
        double slot = (double) plot.width / categories.size();
        // Dodge series sideways within a category so coinciding error bars stay readable.
        double dodge = Math.min(10, slot * 0.5 / Math.max(1, seriesCount));
        double offset = (seriesIndex - (seriesCount - 1) / 2.0) * dodge;
        return plot.x + slot * (categories.indexOf(x) + 0.5) + offset;
      }
      double inner = plot.width - 2 * INSET;
      return plot.x + INSET + (x - xTicks.low()) / (xTicks.high() - xTicks.low()) * inner;
    }

    double py(double y) {
      double inner = plot.height - 2 * INSET;
      return plot.y
          + plot.height
          - INSET
          - (y - yTicks.low()) / (yTicks.high() - yTicks.low()) * inner;
    }
  }

  private Axes axes(Rectangle plot) {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = yFromZero ? 0 : Double.POSITIVE_INFINITY;
    double yMax = yFromZero ? 0 : Double.NEGATIVE_INFINITY;
    boolean integerX = true;
    TreeSet<Double> categories = new TreeSet<>();
    for (Series s : series) {
      for (Point p : s.points()) {
        if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) {
          continue;
        }
        categories.add(p.x());
        xMin = Math.min(xMin, p.x());
        xMax = Math.max(xMax, p.x());
        integerX &= p.x() == Math.rint(p.x());
        yMin = Math.min(yMin, p.hasError() ? Math.min(p.y(), p.low()) : p.y());
        yMax = Math.max(yMax, p.hasError() ? Math.max(p.y(), p.high()) : p.y());
      }
    }
    for (Reference r : references) {
      yMin = Math.min(yMin, r.y());
      yMax = Math.max(yMax, r.y());
    }
    NiceTicks y = NiceTicks.of(yMin, yMax, Math.max(3, plot.height / 60), false);
    if (categoricalX) {
      return new Axes(plot, List.copyOf(categories), null, y);
    }
    return new Axes(
        plot, null, NiceTicks.of(xMin, xMax, Math.max(3, plot.width / 90), integerX), y);
  }

  private void drawGridAndTicks(Graphics2D g, Rectangle plot, Axes axes, Font font) {
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    g.setStroke(new BasicStroke(1f));
    for (double v : axes.yTicks().values()) {
      double py = axes.py(v);
      g.setColor(GRID);
      g.draw(new Line2D.Double(plot.x, py, plot.x + plot.width, py));
      g.setColor(AXIS);
      String label = axes.yTicks().label(v, percentY ? 100 : 1) + (percentY ? "%" : "");
      g.drawString(label, plot.x - 6 - fm.stringWidth(label), (float) py + fm.getAscent() / 2f - 1);
    }
    int baseline = plot.y + plot.height + 6 + fm.getAscent();
    if (axes.categories() != null) {
      for (double c : axes.categories()) {
        double px = axes.px(c, 0, 1);
        g.setColor(AXIS);
        g.draw(new Line2D.Double(px, plot.y + plot.height, px, plot.y + plot.height + 4));
        centre(g, number(c), (int) Math.round(px), baseline);
      }
    } else {
      for (double v : axes.xTicks().values()) {
        double px = axes.px(v, 0, 1);
        g.setColor(GRID);
        g.draw(new Line2D.Double(px, plot.y, px, plot.y + plot.height));
        g.setColor(AXIS);
        centre(g, axes.xTicks().label(v, 1), (int) Math.round(px), baseline);
      }
    }
  }

  private void drawReferences(Graphics2D g, Rectangle plot, Axes axes, Font font) {
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    for (Reference r : references) {
      double py = axes.py(r.y());
      g.setColor(REFERENCE);
      g.setStroke(dashed(1.3f, DASH));
      g.draw(new Line2D.Double(plot.x, py, plot.x + plot.width, py));
      g.drawString(r.label(), plot.x + plot.width - 4 - fm.stringWidth(r.label()), (float) py - 4);
    }
  }

  /**
   * Error bars first, then the line, then markers on top. Several points at one x (runs of one
   * model with different seeds) are all drawn, spread a little sideways, and the line goes through
   * their mean: one series per model stays readable however many seeds there are.
   */
  private void drawSeries(Graphics2D g, Axes axes) {
    Shape clip = g.getClip();
    g.clip(axes.plot());
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      TreeMap<Double, List<Point>> byX = new TreeMap<>();
      for (Point p : s.points()) {
        if (Double.isFinite(p.x()) && Double.isFinite(p.y())) {
          byX.computeIfAbsent(p.x(), k -> new ArrayList<>()).add(p);
        }
      }
      g.setColor(colour(s, i));
      if (s.line() != Line.NONE && byX.size() > 1) {
        Path2D.Double path = new Path2D.Double();
        for (Map.Entry<Double, List<Point>> at : byX.entrySet()) {
          double px = axes.px(at.getKey(), i, series.size());
          double py = axes.py(at.getValue().stream().mapToDouble(Point::y).average().orElseThrow());
          if (path.getCurrentPoint() == null) {
            path.moveTo(px, py);
          } else {
            path.lineTo(px, py);
          }
        }
        g.setStroke(lineStroke(s, i));
        g.draw(path);
      }
      g.setStroke(new BasicStroke(1.3f));
      for (List<Point> points : byX.values()) {
        for (int j = 0; j < points.size(); j++) {
          Point p = points.get(j);
          double px = axes.px(p.x(), i, series.size()) + (j - (points.size() - 1) / 2.0) * 4;
          if (p.hasError()) {
            double lo = axes.py(p.low());
            double hi = axes.py(p.high());
            g.draw(new Line2D.Double(px, lo, px, hi));
            g.draw(new Line2D.Double(px - 4, lo, px + 4, lo));
            g.draw(new Line2D.Double(px - 4, hi, px + 4, hi));
          }
          g.fill(marker(i, px, axes.py(p.y()), 4));
        }
      }
    }
    g.setClip(clip);
  }

  private void drawFrame(Graphics2D g, Rectangle plot) {
    g.setColor(AXIS);
    g.setStroke(new BasicStroke(1f));
    g.draw(new Rectangle2D.Double(plot.x, plot.y, plot.width, plot.height));
  }

  /** A legend item placed on a row of the flowing legend below the x axis label. */
  private record LegendEntry(int seriesIndex, int row, int x) {}

  private List<LegendEntry> legendLayout(Graphics2D g, int width) {
    FontMetrics fm = g.getFontMetrics(new Font(FONT, Font.PLAIN, 12));
    List<LegendEntry> entries = new ArrayList<>();
    int row = 0;
    int x = 0;
    for (int i = 0; i < series.size(); i++) {
      int w = 34 + fm.stringWidth(series.get(i).name()) + 18;
      if (x > 0 && x + w > width) {
        row++;
        x = 0;
      }
      entries.add(new LegendEntry(i, row, x));
      x += w;
    }
    return entries;
  }

  private void drawLegend(Graphics2D g, List<LegendEntry> legend, int left, int top) {
    g.setFont(new Font(FONT, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (LegendEntry e : legend) {
      Series s = series.get(e.seriesIndex());
      int x = left + e.x();
      int y = top + e.row() * 18;
      g.setColor(colour(s, e.seriesIndex()));
      if (s.line() != Line.NONE) {
        g.setStroke(lineStroke(s, e.seriesIndex()));
        g.draw(new Line2D.Double(x, y, x + 26, y));
      }
      g.fill(marker(e.seriesIndex(), x + 13, y, 4));
      g.setColor(Color.BLACK);
      g.drawString(s.name(), x + 34, y + fm.getAscent() / 2f - 1);
    }
  }

  private static Color colour(Series s, int index) {
    int slot = s.colour() == AUTO ? index : s.colour();
    return PALETTE[Math.floorMod(slot, PALETTE.length)];
  }

  /**
   * A series' stroke: its own dashing, and beyond the palette a second dash pattern, so the ninth
   * series does not look like the first.
   */
  private static BasicStroke lineStroke(Series s, int index) {
    boolean wrapped = s.colour() == AUTO && index >= PALETTE.length;
    if (s.line() == Line.DASHED) {
      return dashed(2f, wrapped ? new float[] {2f, 4f} : DASH);
    }
    return wrapped ? dashed(2f, new float[] {12f, 3f, 2f, 3f}) : new BasicStroke(2f);
  }

  private static BasicStroke dashed(float width, float[] dash) {
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
  }

  /** Circle, square, triangle, diamond by series, so series differ without colour too. */
  private static Shape marker(int index, double x, double y, double r) {
    switch (index % 4) {
      case 0:
        return new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
      case 1:
        return new Rectangle2D.Double(x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r);
      case 2:
        Path2D.Double triangle = new Path2D.Double();
        triangle.moveTo(x, y - r * 1.2);
        triangle.lineTo(x + r * 1.1, y + r * 0.8);
        triangle.lineTo(x - r * 1.1, y + r * 0.8);
        triangle.closePath();
        return triangle;
      default:
        Path2D.Double diamond = new Path2D.Double();
        diamond.moveTo(x, y - r * 1.3);
        diamond.lineTo(x + r * 1.1, y);
        diamond.lineTo(x, y + r * 1.3);
        diamond.lineTo(x - r * 1.1, y);
        diamond.closePath();
        return diamond;
    }
  }

  private static void centre(Graphics2D g, String text, int x, int baseline) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2f, baseline);
  }

  /** A category label: 1000 rather than 1000.0. */
  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.4g", v);
  }
}
