package ai.lvm.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceCheckTest {
  private static final String SMI =
      "0, NVIDIA H100 80GB HBM3, 9.0\n1, NVIDIA A100-SXM4-40GB, 8.0\n2, Tesla V100-SXM2-16GB, 7.0\n";

  @Test
  void parsesNvidiaSmi() {
    List<Gpu> gpus = DeviceCheck.parseNvidiaSmi(SMI);
    assertThat(gpus)
        .containsExactly(
            new Gpu(0, "NVIDIA H100 80GB HBM3", "9.0"),
            new Gpu(1, "NVIDIA A100-SXM4-40GB", "8.0"),
            new Gpu(2, "Tesla V100-SXM2-16GB", "7.0"));
    assertThat(gpus.get(0).smVersion()).isEqualTo(90);
  }

  @Test
  void gpusNewerThanTheBuildRefuseWithTheSupportedRange() {
    Gpu h100 = DeviceCheck.parseNvidiaSmi(SMI).get(0);
    assertThatThrownBy(() -> DeviceCheck.requireSupported(h100))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("GPU 0 (NVIDIA H100 80GB HBM3, compute capability 9.0)")
        .hasMessageContaining("compute capability 3.7 to 8.6 only");
    DeviceCheck.requireSupported(new Gpu(0, "NVIDIA A10", "8.6"));
    DeviceCheck.requireSupported(new Gpu(0, "Tesla K80", "3.7"));
    assertThatThrownBy(() -> DeviceCheck.requireSupported(new Gpu(0, "RTX 4090", "8.9")))
        .hasMessageContaining("8.9");
  }

  @Test
  void theTaskAddressPicksTheGpu() {
    List<Gpu> gpus = DeviceCheck.parseNvidiaSmi(SMI);
    assertThat(DeviceCheck.select(gpus, Optional.of("2")).name()).startsWith("Tesla V100");
    assertThat(DeviceCheck.select(gpus, Optional.empty()).index()).isZero();
    assertThatThrownBy(() -> DeviceCheck.select(gpus, Optional.of("7")))
        .hasMessageContaining("indexes [0, 1, 2]");
    assertThatThrownBy(() -> DeviceCheck.select(List.of(), Optional.empty()))
        .hasMessageContaining("lists none");
  }

  @Test
  void theDefaultBuildRunsOnCpu() {
    DeviceCheck.Device d = DeviceCheck.choose(DeviceCheck.Want.AUTO, Optional.empty());
    assertThat(d.backend()).contains("CPU");
    assertThat(d.gpu()).isEmpty();
  }
}
