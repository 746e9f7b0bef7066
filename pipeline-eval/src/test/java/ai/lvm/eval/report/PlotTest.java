package ai.lvm.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.eval.report.Plot.Point;
import ai.lvm.eval.report.Plot.Series;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlotTest {
  private static Plot hitPlot(boolean errorBars) {
    List<Point> model =
        List.of(
            point(100, 0.75, 0.74, 0.77, errorBars),
            point(500, 0.70, 0.60, 0.80, errorBars),
            point(2000, 0.62, 0.50, 0.74, errorBars));
    List<Point> baseline =
        List.of(point(100, 0.62, 0.6, 0.64, errorBars), point(2000, 0.66, 0.6, 0.7, errorBars));
    return new Plot("Hit@5 by context size", "context size C", "Hit@5")
        .categoricalX()
        .percentY()
        .yFromZero()
        .add(Series.of("memory-gru", model))
        .add(Series.of("copy-last", baseline).withLine(Plot.Line.DASHED))
        .referenceLine(0.0005, "chance 0.050%");
  }

  private static Point point(double x, double y, double lo, double hi, boolean error) {
    return error ? Point.withError(x, y, lo, hi) : Point.of(x, y);
  }

  @Test
  void pngDecodesAtTheDefaultSizeWithSomethingDrawn() {
    BufferedImage image = Pngs.decode(hitPlot(true).png());

    assertThat(image.getWidth()).isEqualTo(Plot.WIDTH);
    assertThat(image.getHeight()).isEqualTo(Plot.HEIGHT);
    assertThat(Pngs.inkPixels(image)).isGreaterThan(5_000);
    // The first series' blue is drawn, not only axes and text.
    assertThat(Pngs.pixelsOf(image, 0x0072B2)).isGreaterThan(50);
  }

  @Test
  void errorBarsChangeThePixels() {
    BufferedImage with = hitPlot(true).render(Plot.WIDTH, Plot.HEIGHT);
    BufferedImage without = hitPlot(false).render(Plot.WIDTH, Plot.HEIGHT);

    long differing = 0;
    for (int y = 0; y < with.getHeight(); y++) {
      for (int x = 0; x < with.getWidth(); x++) {
        differing += with.getRGB(x, y) != without.getRGB(x, y) ? 1 : 0;
      }
    }
    assertThat(differing).isGreaterThan(100);
  }

  @Test
  void sameInputGivesSameBytesWithoutTimestamp() {
    byte[] first = hitPlot(true).png();
    byte[] second = hitPlot(true).png();

    assertThat(second).isEqualTo(first);
    assertThat(Pngs.hasChunk(first, "tIME")).isFalse();
  }

  @Test
  void emptyAndSinglePointPlotsStillRender() {
    BufferedImage empty = Pngs.decode(new Plot("nothing", "x", "y").png());
    BufferedImage single =
        Pngs.decode(
            new Plot("one", "C", "Hit@5")
                .categoricalX()
                .add(Series.of("m", List.of(Point.withError(1000, 0.5, 0.4, 0.6))))
                .png());

    assertThat(Pngs.inkPixels(empty)).isGreaterThan(500); // title, frame, "no data"
    assertThat(Pngs.pixelsOf(single, 0x0072B2)).isGreaterThan(20);
  }

  @Test
  void severalPointsAtOneXAreAllDrawn() {
    // Two seeds of one model at C = 500: both markers show, not only the last one.
    List<Point> one = List.of(Point.of(100, 0.5), Point.of(500, 0.6));
    List<Point> two = List.of(Point.of(100, 0.5), Point.of(500, 0.6), Point.of(500, 0.3));
    BufferedImage single =
        new Plot("t", "C", "y")
            .categoricalX()
            .yFromZero()
            .add(Series.of("m", one))
            .render(400, 300);
    BufferedImage seeds =
        new Plot("t", "C", "y")
            .categoricalX()
            .yFromZero()
            .add(Series.of("m", two))
            .render(400, 300);

    assertThat(Pngs.pixelsOf(seeds, 0x0072B2)).isGreaterThan(Pngs.pixelsOf(single, 0x0072B2));
  }

  @Test
  void numericAxisAndStackedPanels() {
    Plot loss =
        new Plot("loss", "epoch", "loss")
            .add(Series.of("a", List.of(Point.of(1, 1.5), Point.of(2, 1.1), Point.of(3, 0.8))));
    BufferedImage stacked = Pngs.decode(Plot.stackedPng(600, 300, List.of(loss, loss)));

    assertThat(stacked.getWidth()).isEqualTo(600);
    assertThat(stacked.getHeight()).isEqualTo(600);
    // Both panels carry ink: the lower half is not left blank.
    assertThat(Pngs.inkPixels(stacked.getSubimage(0, 300, 600, 300))).isGreaterThan(2_000);
  }

  @Test
  void manySeriesGetALegendThatWrapsInsideTheImage() {
    Plot plot = new Plot("many", "x", "y");
    for (int i = 0; i < 12; i++) {
      plot.add(Series.of("series number " + i, List.of(Point.of(0, i), Point.of(1, i + 1))));
    }
    BufferedImage image = Pngs.decode(plot.png());

    assertThat(image.getHeight()).isEqualTo(Plot.HEIGHT);
    assertThat(Pngs.inkPixels(image)).isGreaterThan(5_000);
  }
}
