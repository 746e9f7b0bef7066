package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lvm.checkpoint.EarlyStoppingState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  /** Runs the scripted Hit@5 per epoch; returns evaluated epochs and the stopping epoch (or 0). */
  private static List<Integer> run(EvaluationCadence cadence, double[] hit5ByEpoch, int[] stop) {
    EarlyStopping es = new EarlyStopping(3, 1e-4, cadence, EarlyStoppingState.initial());
    List<Integer> evaluated = new ArrayList<>();
    for (int epoch = 1; epoch <= hit5ByEpoch.length; epoch++) {
      if (es.shouldEvaluate(epoch)) {
        evaluated.add(epoch);
        if (es.record(epoch, hit5ByEpoch[epoch - 1]).stop()) {
          stop[0] = epoch;
          break;
        }
      }
    }
    return evaluated;
  }

  @Test
  void everyEpochStopsAfterThreeEvaluationsWithoutImprovement() {
    int[] stop = {0};
    double[] h = {0.1, 0.2, 0.3, 0.30005, 0.25, 0.3, 0.9};
    assertThat(run(EvaluationCadence.EVERY_EPOCH, h, stop)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(stop[0]).isEqualTo(6); // 0.30005 is not > 0.3 + 1e-4
  }

  @Test
  void improvementResetsPatience() {
    int[] stop = {0};
    double[] h = {0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2};
    run(EvaluationCadence.EVERY_EPOCH, h, stop);
    assertThat(stop[0]).isEqualTo(7);
  }

  @Test
  void referenceCadenceEvaluatesEveryFifthEpochAndAfterSetbacks() {
    int[] stop = {0};
    double[] h = new double[30];
    // Improves at 1, 6, 11; not at 16; improves at 17; then flat from 21 on.
    h[0] = 0.1;
    h[5] = 0.2;
    h[10] = 0.3;
    h[15] = 0.25;
    h[16] = 0.4;
    for (int e = 21; e <= 30; e++) {
      h[e - 1] = 0.35;
    }
    assertThat(run(EvaluationCadence.REFERENCE, h, stop))
        .containsExactly(1, 6, 11, 16, 17, 21, 22, 23);
    assertThat(stop[0]).isEqualTo(23);
  }

  @Test
  void stateRoundTripsThroughItsValue() {
    EarlyStopping a = new EarlyStopping(3, 1e-4, EvaluationCadence.REFERENCE, initial());
    a.record(1, 0.5);
    a.record(6, 0.4);
    EarlyStopping b = new EarlyStopping(3, 1e-4, EvaluationCadence.REFERENCE, a.state());
    assertThat(b.shouldEvaluate(7)).isTrue();
    assertThat(b.record(7, 0.45)).isEqualTo(a.record(7, 0.45));
    assertThat(b.state()).isEqualTo(a.state());
    assertThat(a.state().bestEpoch()).isEqualTo(1);
  }

  @Test
  void nanNeverImproves() {
    EarlyStopping es = new EarlyStopping(1, 1e-4, EvaluationCadence.EVERY_EPOCH, initial());
    assertThat(es.record(1, Double.NaN)).isEqualTo(new EarlyStopping.Outcome(false, true));
  }

  @Test
  void anUntrainedEpochZeroIsKeptWhenNoLaterEpochBeatsIt() {
    EarlyStopping es = new EarlyStopping(2, 1e-4, EvaluationCadence.EVERY_EPOCH, initial());
    assertThat(es.record(0, 0.178).improved()).isTrue();
    assertThat(es.record(1, 0.168)).isEqualTo(new EarlyStopping.Outcome(false, false));
    assertThat(es.record(2, 0.172)).isEqualTo(new EarlyStopping.Outcome(false, true));
    assertThat(es.state().bestEpoch()).isZero();
    assertThat(es.state().bestHit5()).isEqualTo(0.178);
  }

  @Test
  void aFirstNanLeavesTheNextEvaluationTheBest() {
    EarlyStopping es = new EarlyStopping(3, 1e-4, EvaluationCadence.EVERY_EPOCH, initial());
    assertThat(es.record(1, Double.NaN).improved()).isFalse();
    assertThat(es.record(2, 0.0).improved()).isTrue();
  }

  private static EarlyStoppingState initial() {
    return EarlyStoppingState.initial();
  }
}
