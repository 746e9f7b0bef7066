package ai.lvm.device;

import ai.lvm.config.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The training worker's start-up check of the device it will run on, done before ND4J loads any
 * native code.
 *
 * <p>Why: the only CUDA builds of ND4J on Maven Central (1.0.0-M2.1, CUDA 11.4/11.6) contain GPU
 * code for compute capability 3.7 to 8.6 and no PTX, so on a newer GPU (Hopper, Ada, Blackwell) the
 * CUDA backend dies in native code at its first kernel. The check reads the GPUs from {@code
 * nvidia-smi} and stops with a message naming the GPU and the supported range instead.
 */
public final class DeviceCheck {
  /** Lowest and highest compute capability ND4J 1.0.0-M2.1's CUDA builds have code for. */
  public static final int MIN_SM = 37;

  public static final int MAX_SM = 86;

  /** The class of ND4J's CUDA backend: present only in a build with the cuda profile. */
  static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

  /** What the worker should run on: {@code auto} (GPU when the CUDA backend is built in). */
  public enum Want {
    AUTO,
    CPU,
    GPU
  }

  /** The device chosen, for logs and the training tables. */
  public record Device(String backend, String name, Optional<Gpu> gpu) {
    @Override
    public String toString() {
      return backend
          + " on "
          + name
          + gpu.map(
                  g -> " (GPU " + g.index() + ", compute capability " + g.computeCapability() + ")")
              .orElse("");
    }
  }

  private DeviceCheck() {}

  /**
   * Chooses the device: with the CUDA backend on the classpath (or {@code want = GPU}) the GPU at
   * {@code address} (Spark's task resource address; GPU 0 when empty) must be supported; otherwise
   * the CPU backend runs.
   */
  public static Device choose(Want want, Optional<String> address) {
    boolean cudaBuilt = isOnClasspath(CUDA_BACKEND_CLASS);
    if (want == Want.CPU || (want == Want.AUTO && !cudaBuilt)) {
      if (cudaBuilt) {
        throw new InvalidInputException(
            "Cannot run on CPU: this build holds ND4J's CUDA backend (the cuda profile). Use the"
                + " default build for CPU workers, or lvm.train.device=gpu.");
      }
      return new Device("nd4j-native (CPU)", cpuName(), Optional.empty());
    }
    List<Gpu> gpus = parseNvidiaSmi(nvidiaSmi());
    Gpu gpu = select(gpus, address);
    requireSupported(gpu);
    if (!cudaBuilt) {
      throw new InvalidInputException(
          "Cannot run on "
              + describe(gpu)
              + ": this build has the CPU backend only. Build the job jar with the cuda profile"
              + " (./mvnw -Pcuda -DskipTests package) for GPU workers.");
    }
    return new Device("nd4j-cuda-11.6", gpu.name(), Optional.of(gpu));
  }

  /** Fails, naming the GPU and the supported range, when ND4J has no code for it. */
  public static void requireSupported(Gpu gpu) {
    int sm = gpu.smVersion();
    if (sm < MIN_SM || sm > MAX_SM) {
      throw new InvalidInputException(
          "Cannot train on "
              + describe(gpu)
              + ": ND4J 1.0.0-M2.1's CUDA backend (CUDA 11.6, the newest on Maven Central) has GPU"
              + " code for compute capability 3.7 to 8.6 only (e.g. K80, V100, T4, A10, A100, RTX"
              + " 30xx) and no PTX to compile for newer GPUs, so it would crash in native code."
              + " Run this worker on such a GPU, or on CPU (lvm.train.device=cpu with the default"
              + " build).");
    }
  }

  static Gpu select(List<Gpu> gpus, Optional<String> address) {
    if (gpus.isEmpty()) {
      throw new InvalidInputException(
          "Cannot train on a GPU: nvidia-smi lists none. Check the driver, or set"
              + " lvm.train.device=cpu.");
    }
    if (address.isEmpty()) {
      return gpus.get(0);
    }
    String a = address.get().strip();
    return gpus.stream()
        .filter(g -> String.valueOf(g.index()).equals(a))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "Cannot use GPU '"
                        + a
                        + "' that Spark assigned: nvidia-smi lists indexes "
                        + gpus.stream().map(Gpu::index).toList()
                        + ". Check the discovery script."));
  }

  /** Parses {@code nvidia-smi --query-gpu=index,name,compute_cap --format=csv,noheader}. */
  static List<Gpu> parseNvidiaSmi(String csv) {
    List<Gpu> out = new ArrayList<>();
    for (String line : csv.strip().split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length < 3) {
        throw new IllegalStateException("Unexpected nvidia-smi line: " + line);
      }
      out.add(
          new Gpu(
              Integer.parseInt(f[0].strip()),
              String.join(",", java.util.Arrays.copyOfRange(f, 1, f.length - 1)).strip(),
              f[f.length - 1].strip()));
    }
    return out;
  }

  private static String nvidiaSmi() {
    ProcessBuilder pb =
        new ProcessBuilder(
                "nvidia-smi", "--query-gpu=index,name,compute_cap", "--format=csv,noheader")
            .redirectErrorStream(true);
    try {
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new InvalidInputException(
            "Cannot query the GPUs: nvidia-smi failed: " + out.strip() + ". Check the driver.");
      }
      return out;
    } catch (IOException e) {
      throw new InvalidInputException(
          "Cannot query the GPUs: nvidia-smi is not on the PATH of this worker ("
              + e.getMessage()
              + "). Install the NVIDIA driver, or set lvm.train.device=cpu.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String describe(Gpu gpu) {
    return "GPU "
        + gpu.index()
        + " ("
        + gpu.name()
        + ", compute capability "
        + gpu.computeCapability()
        + ")";
  }

  private static boolean isOnClasspath(String className) {
    try {
      Class.forName(className, false, DeviceCheck.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static String cpuName() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip()
              + " x"
              + Runtime.getRuntime().availableProcessors();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch") + " x" + Runtime.getRuntime().availableProcessors();
  }
}
