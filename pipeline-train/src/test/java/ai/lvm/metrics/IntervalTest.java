package ai.lvm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.lvm.metrics.Interval.DocumentHits;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntervalTest {

  @Test
  void byDocumentIsTheClusterRobustIntervalOfTheHitRate() {
    // p = 60 / 400; per document h - n p: 5, -5, 0, 0.
    Interval i =
        Interval.byDocument(
            List.of(
                new DocumentHits(100, 20),
                new DocumentHits(100, 10),
                new DocumentHits(100, 15),
                new DocumentHits(100, 15)));
    double half = 3.18244631 * Math.sqrt(50.0 * 4 / 3) / 400;
    assertThat(i.value()).isEqualTo(0.15);
    assertThat(i.low()).isCloseTo(0.15 - half, within(1e-8));
    assertThat(i.high()).isCloseTo(0.15 + half, within(1e-8));
    Interval wilson = Interval.wilson(60, 400);
    assertThat(i.low()).isLessThan(wilson.low());
    assertThat(i.high()).isGreaterThan(wilson.high());
  }

  @Test
  void documentsThatAgreeKeepTheWilsonInterval() {
    Interval i = Interval.byDocument(List.of(new DocumentHits(100, 15), new DocumentHits(200, 30)));
    assertThat(i).isEqualTo(Interval.wilson(45, 300));
  }

  @Test
  void byDocumentStaysInsideZeroAndOne() {
    Interval i = Interval.byDocument(List.of(new DocumentHits(10, 10), new DocumentHits(10, 0)));
    assertThat(i.value()).isEqualTo(0.5);
    assertThat(i.low()).isEqualTo(0);
    assertThat(i.high()).isEqualTo(1);
  }

  @Test
  void noIntervalByDocumentFromOneDocument() {
    assertThat(Interval.byDocument(List.of(new DocumentHits(100, 10)))).isNull();
    assertThat(Interval.byDocument(List.of())).isNull();
  }

  @Test
  void aDocumentsCountsMustFit() {
    assertThatThrownBy(() -> new DocumentHits(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DocumentHits(10, 11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("11 in 10 windows");
    assertThatThrownBy(() -> new DocumentHits(10, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Twenty documents of 50 windows whose hit rates differ (uniform on [0.05, 0.25], mean 0.15):
   * windows of a document move together, so the Wilson interval of the totals covers the true 0.15
   * too rarely (about 0.80 here), the interval by document near 95%.
   */
  @Test
  void byDocumentCoversWhenDocumentsDiffer() {
    Random random = new Random(7);
    int reps = 2000;
    int byDocument = 0;
    int wilson = 0;
    for (int rep = 0; rep < reps; rep++) {
      List<DocumentHits> documents = new ArrayList<>();
      long hits = 0;
      for (int g = 0; g < 20; g++) {
        double rate = 0.05 + 0.2 * random.nextDouble();
        int h = 0;
        for (int w = 0; w < 50; w++) {
          h += random.nextDouble() < rate ? 1 : 0;
        }
        documents.add(new DocumentHits(50, h));
        hits += h;
      }
      Interval d = Interval.byDocument(documents);
      Interval plain = Interval.wilson(hits, 1000);
      byDocument += d.low() <= 0.15 && 0.15 <= d.high() ? 1 : 0;
      wilson += plain.low() <= 0.15 && 0.15 <= plain.high() ? 1 : 0;
    }
    assertThat(byDocument / (double) reps).isBetween(0.925, 0.97);
    assertThat(wilson / (double) reps).isLessThan(0.88);
  }
}
