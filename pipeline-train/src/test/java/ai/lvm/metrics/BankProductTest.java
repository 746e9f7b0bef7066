package ai.lvm.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BankProductTest {

  /** The product written out: scale * sum_k q[i][k] b[j][k], in double. */
  private static double[][] plain(INDArray q, INDArray b, double scale) {
    double[][] out = new double[(int) q.size(0)][(int) b.size(0)];
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < out[i].length; j++) {
        double s = 0;
        for (int k = 0; k < q.size(1); k++) {
          s += q.getDouble(i, k) * b.getDouble(j, k);
        }
        out[i][j] = scale * s;
      }
    }
    return out;
  }

  @Test
  void productEqualsThePlainSumsAcrossShapesThatGrowAndShrink() {
    Nd4j.getRandom().setSeed(7);
    BankProduct kernel = new BankProduct();
    // larger, then smaller (a view of the grown buffer), then larger again
    int[][] shapes = {{5, 9}, {2, 3}, {6, 11}, {1, 1}};
    for (int[] shape : shapes) {
      INDArray q = Nd4j.randn(DataType.DOUBLE, shape[0], 4);
      INDArray b = Nd4j.randn(DataType.DOUBLE, shape[1], 4);
      INDArray out = kernel.product(q, b, 0.5);
      assertArrayEquals(new long[] {shape[0], shape[1]}, out.shape());
      assertEquals('c', out.ordering());
      double[][] expected = plain(q, b, 0.5);
      for (int i = 0; i < shape[0]; i++) {
        assertArrayEquals(expected[i], out.getRow(i).toDoubleVector(), 1e-12);
      }
    }
  }

  @Test
  void heapScoresAreTheFloatProductRowMajorAndReuseOneArray() {
    Nd4j.getRandom().setSeed(11);
    BankProduct kernel = new BankProduct();
    INDArray bank = Nd4j.randn(DataType.FLOAT, 40, 8);
    // a row range of a larger bank, as the corpus bank passes its blocks
    INDArray block = bank.get(NDArrayIndex.interval(10, 30), NDArrayIndex.all());
    INDArray q = Nd4j.randn(DataType.FLOAT, 3, 8);
    float[] first = kernel.scores(q, block);
    double[][] expected = plain(q, block, 1.0);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 20; j++) {
        assertEquals(expected[i][j], first[i * 20 + j], 1e-4, "score " + i + "," + j);
      }
    }
    float[] second = kernel.scores(q.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()), block);
    assertSame(first, second, "a smaller product reuses the heap array");
    assertEquals(expected[1][7], second[20 + 7], 1e-4);
  }

  @Test
  void scoreRowsAreTheFloatProductQueryByQueryAfterTheBufferGrewAndShrank() {
    Nd4j.getRandom().setSeed(13);
    BankProduct kernel = new BankProduct();
    kernel.scores(Nd4j.randn(DataType.FLOAT, 9, 8), Nd4j.randn(DataType.FLOAT, 50, 8)); // grows
    INDArray q = Nd4j.randn(DataType.FLOAT, 4, 8);
    INDArray b = Nd4j.randn(DataType.FLOAT, 17, 8);
    BankProduct.ScoreRows rows = kernel.rows(q, b);
    double[][] expected = plain(q, b, 1.0);
    for (int i = 3; i >= 0; i--) { // any order
      float[] row = rows.row(i);
      for (int j = 0; j < 17; j++) {
        assertEquals(expected[i][j], row[j], 1e-4, "score " + i + "," + j);
      }
    }
    assertSame(rows.row(0), rows.row(1), "one reused row array");
  }

  @Test
  void mismatchedDimensionsAreRefusedWithBothShapes() {
    BankProduct kernel = new BankProduct();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                kernel.product(
                    Nd4j.zeros(DataType.FLOAT, 2, 3), Nd4j.zeros(DataType.FLOAT, 4, 5), 1));
    assertEquals("queries [Q, D] against a bank [N, D]; got [2, 3] and [4, 5]", e.getMessage());
  }
}
