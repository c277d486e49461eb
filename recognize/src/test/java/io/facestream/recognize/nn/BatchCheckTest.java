package io.facestream.recognize.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import org.junit.jupiter.api.Test;

class BatchCheckTest {

    private static final Shape ONE = new Shape(1, 2, 3, 3);

    @Test
    void aNetworkThatTreatsEachInputAlonePasses() {
        LambdaBlock affine = new LambdaBlock(l -> new NDList(l.head().mul(2).add(1), l.head().sum(new int[] {1, 2, 3})));
        assertEquals(0, BatchCheck.largestDifference(affine, ONE), 1e-6);
        assertDoesNotThrow(() -> BatchCheck.require(affine, ONE, "affine"));
    }

    @Test
    void aNetworkWhoseValuesDependOnTheBatchIsRefusedWithItsName() {
        // Each input minus the batch's mean: zero alone, not zero in a batch of 3 different inputs.
        LambdaBlock centred = new LambdaBlock(l -> new NDList(l.head().sub(l.head().mean(new int[] {0}, true))));
        assertTrue(BatchCheck.largestDifference(centred, ONE) > 0.1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BatchCheck.require(centred, ONE, "the centred net"));
        assertTrue(e.getMessage().startsWith("the centred net gives a batch of 3 other values than each input alone"),
                e.getMessage());
    }

    @Test
    void nanInABatchIsRefused() {
        LambdaBlock nanInBatches = new LambdaBlock(
                l -> new NDList(l.head().getShape().get(0) > 1 ? l.head().add(Float.NaN) : l.head().mul(1)));
        assertTrue(Double.isNaN(BatchCheck.largestDifference(nanInBatches, ONE)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BatchCheck.require(nanInBatches, ONE, "net"));
        assertTrue(e.getMessage().contains("largest difference NaN"), e.getMessage());
    }

    @Test
    void theShapeOfOneInputHasBatchSizeOne() {
        assertThrows(IllegalArgumentException.class,
                () -> BatchCheck.largestDifference(new LambdaBlock(l -> l), new Shape(2, 2, 3, 3)));
    }
}
