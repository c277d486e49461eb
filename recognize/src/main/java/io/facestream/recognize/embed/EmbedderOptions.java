package io.facestream.recognize.embed;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.facestream.recognize.weights.WeightStore;

/**
 * How an embedder is opened.
 *
 * @param device where the network runs; null picks a GPU when the engine sees one, else the CPU
 * @param maxBatch the most crops sent through the network at once (memory grows with it)
 * @param weights where the original weight files are cached
 * @param cacheConverted whether to keep the converted network as DJL {@code .params} under
 *     {@code <weights>/djl/} and load it from there on later starts
 *
 * <p>There is no thread-count option here: PyTorch's intra-op pool is process-wide, so it is set once
 * per JVM with {@code -Dai.djl.pytorch.num_threads=N}. On 2 cores shared with other processes, two
 * OpenMP threads that spin-wait collapse to a few faces/s; one thread, or {@code OMP_WAIT_POLICY=PASSIVE}
 * in the environment, avoids that (measured with {@link EmbedderBenchmark}).
 */
public record EmbedderOptions(Device device, int maxBatch, WeightStore weights, boolean cacheConverted) {

    /** Default largest batch: 32 crops keep 2 CPU cores busy without holding much memory. */
    public static final int DEFAULT_MAX_BATCH = 32;

    public EmbedderOptions {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        if (weights == null) {
            throw new IllegalArgumentException("an embedder needs a weight store");
        }
    }

    /** Automatic device, batches of 32, the default weight store, converted weights cached. */
    public static EmbedderOptions defaults() {
        return new EmbedderOptions(null, DEFAULT_MAX_BATCH, WeightStore.defaultStore(), true);
    }

    /** The same options with another device (null = automatic). */
    public EmbedderOptions withDevice(Device d) {
        return new EmbedderOptions(d, maxBatch, weights, cacheConverted);
    }

    /** The same options with another largest batch. */
    public EmbedderOptions withMaxBatch(int n) {
        return new EmbedderOptions(device, n, weights, cacheConverted);
    }

    /** The same options with another weight store. */
    public EmbedderOptions withWeights(WeightStore store) {
        return new EmbedderOptions(device, maxBatch, store, cacheConverted);
    }

    /** The same options with the converted-weights cache switched on or off. */
    public EmbedderOptions withCacheConverted(boolean cache) {
        return new EmbedderOptions(device, maxBatch, weights, cache);
    }

    /** The device to use: the given one, or a GPU when the engine has one, else the CPU. */
    public Device resolvedDevice() {
        if (device != null) {
            return device;
        }
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }
}
