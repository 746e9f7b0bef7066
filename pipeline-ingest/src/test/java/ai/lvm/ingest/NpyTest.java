package ai.lvm.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lvm.config.InvalidInputException;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NpyTest {
  @Test
  void parsesAVersion1Header() {
    byte[] npy = NpzFiles.vectorsNpy(new float[][] {{1, 2, 3}, {4, 5, 6}});
    Npy h = Npy.parse(npy, "x.npz");
    assertThat(h.descr()).isEqualTo("<f4");
    assertThat(h.fortranOrder()).isFalse();
    assertThat(h.shape()).containsExactly(2, 3);
    assertThat(h.dataOffset() % 64).isZero();
    assertThat(npy.length - h.dataOffset()).isEqualTo(2 * 3 * 4);
    assertThat(h.requireFloat32Matrix("x.npz", "vectors")).isEqualTo(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void parsesAVersion2Header() {
    String dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (5, 7), }\n";
    byte[] h = new byte[12 + dict.length()];
    byte[] prefix = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) dict.length(), 0, 0, 0};
    System.arraycopy(prefix, 0, h, 0, 12);
    System.arraycopy(
        dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, h, 12, dict.length());
    Npy npy = Npy.parse(h, "y");
    assertThat(npy.shape()).containsExactly(5, 7);
    assertThat(npy.dataOffset()).isEqualTo(h.length);
    assertThat(npy.requireFloat32Matrix("y", "vectors")).isEqualTo(ByteOrder.BIG_ENDIAN);
  }

  @Test
  void rejectsWhatIsNotAFloat32Matrix() {
    byte[] f8 = NpzFiles.npy("<f8", false, new long[] {2, 3}, new byte[48]);
    assertThatThrownBy(() -> Npy.parse(f8, "a.npz").requireFloat32Matrix("a.npz", "vectors"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a.npz")
        .hasMessageContaining("'vectors'")
        .hasMessageContaining("'<f8'")
        .hasMessageContaining("float32");
    byte[] oneD = NpzFiles.npy("<f4", false, new long[] {6}, new byte[24]);
    assertThatThrownBy(() -> Npy.parse(oneD, "b.npz").requireFloat32Matrix("b.npz", "vectors"))
        .hasMessageContaining("1 dimension(s)")
        .hasMessageContaining("expected 2");
    byte[] fortran = NpzFiles.npy("<f4", true, new long[] {2, 3}, new byte[24]);
    assertThatThrownBy(() -> Npy.parse(fortran, "c").requireFloat32Matrix("c", "vectors"))
        .hasMessageContaining("Fortran");
  }

  @Test
  void rejectsWhatIsNotANpy() {
    assertThatThrownBy(() -> Npy.parse("PK not an npy file".getBytes(), "d.npz"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("magic");
  }
}
