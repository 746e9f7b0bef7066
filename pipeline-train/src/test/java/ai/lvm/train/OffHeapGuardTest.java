package ai.lvm.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffHeapGuardTest {
  private static final long G = 1L << 30;

  @Test
  void theBudgetIsWhatTheProcessWasGivenNotTheMachinesMemory() {
    // bin/lvm on a 24 GB machine: -Xmx6g, maxbytes 4g, JavaCPP's physical limit derived as ~22 GiB
    assertThat(OffHeapGuard.budget(6 * G, 4 * G, 22 * G)).isEqualTo(10 * G);
    // docs/operations.md's executors: -Xmx8g (executor memory), maxbytes 4G, maxphysicalbytes 13G
    assertThat(OffHeapGuard.budget(8 * G, 4 * G, 13 * G)).isEqualTo(13 * G / 4 * 3);
  }

  @Test
  void limitsThatAreNotSetDoNotCount() {
    assertThat(OffHeapGuard.budget(6 * G, 4 * G, 0)).isEqualTo(10 * G);
    assertThat(OffHeapGuard.budget(6 * G, 0, 0)).isEqualTo(9 * G);
    assertThat(OffHeapGuard.budget(6 * G, -1, 20 * G)).isEqualTo(9 * G);
  }
}
