package io.facestream.recognize.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The shifted-maximum pooling equals PyTorch's ceil-mode max_pool2d bit for bit, odd and even sizes. */
class CeilMaxPoolTest {

    @Test
    void equalsCeilModeMaxPool() {
        int[][] cases = {{2, 2}, {3, 2}};
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            for (int[] ks : cases) {
                for (int[] hw : new int[][] {{35, 51}, {22, 22}, {9, 9}, {8, 8}, {12, 13}, {46, 46}, {21, 21}, {3, 4}}) {
                    NDArray x = m.randomNormal(new Shape(2, 3, hw[0], hw[1]));
                    Block ref = Pool.maxPool2dBlock(new Shape(ks[0], ks[0]), new Shape(ks[1], ks[1]), new Shape(0, 0), true);
                    NDArray expected = ref.forward(ps, new NDList(x), false).singletonOrThrow();
                    NDArray actual = new CeilMaxPool(ks[0], ks[1]).forward(ps, new NDList(x), false).singletonOrThrow();
                    assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(),
                            "shape for " + hw[0] + "x" + hw[1] + " k" + ks[0] + " s" + ks[1]);
                    assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 0f);
                }
            }
        }
    }
}
