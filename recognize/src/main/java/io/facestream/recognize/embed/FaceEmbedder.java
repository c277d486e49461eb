package io.facestream.recognize.embed;

import io.facestream.core.Embedding;
import io.facestream.recognize.align.FaceCrop;
import java.util.List;

/**
 * Turns aligned face crops into L2-normalised embeddings with one pretrained network.
 *
 * <p>Implementations load their network once and may be called from several threads at once: each call
 * works in its own native memory scope and switches gradient tracking off on the calling thread. Inputs
 * are split into batches of at most {@link EmbedderOptions#maxBatch()} crops.
 */
public interface FaceEmbedder extends AutoCloseable {

    /** The model id stored with every embedding, e.g. {@code mobilefacenet-192}. */
    String modelId();

    /** The crop side length the network takes: 112 or 150 pixels. */
    int inputSize();

    /** The embedding length. */
    int dimension();

    /** One unit-length embedding per crop, in input order. */
    List<Embedding> embed(List<FaceCrop> crops);

    /** The network's raw (unnormalised) outputs, one row per crop; mainly for checks against reference values. */
    float[][] embedRaw(List<FaceCrop> crops);

    /** Releases the network's native memory. */
    @Override
    void close();
}
