package io.facestream.train.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each person's centre in the starting model's space, as the target of the distillation term
 * ({@code --distill-to centre}): the normalised sum of the starting model's unit embeddings of every crop of that
 * person the trainer has seen so far. Pulling a crop toward its person's centre rather than toward the start's
 * embedding of the same crop asks the network to bring one person's lights together, a pull every crop feels
 * (most triplets of a batch are inactive), while the centres stay where the starting model put them, so people the
 * trainer never sees keep their places.
 *
 * <p>The sums live as long as the trainer; a new trainer (a restart, the next round of the service) starts them
 * again from its first batch.
 */
public final class PersonCentres {

    private final Map<String, double[]> sums = new HashMap<>();

    /**
     * Adds the batch's start embeddings to their people's sums, then gives each row its person's centre.
     *
     * @param anchorUnit the starting model's unit embeddings of the batch, n × d
     * @param people     the person of each row
     * @param scope      where the result is made
     */
    public NDArray targets(NDArray anchorUnit, List<String> people, NDManager scope) {
        int n = people.size();
        if (n == 0 || anchorUnit.getShape().get(0) != n) {
            throw new IllegalArgumentException("got " + anchorUnit.getShape() + " embeddings for " + n + " people; pass one row per person");
        }
        int d = (int) (anchorUnit.size() / n);
        float[] a = anchorUnit.toFloatArray();
        for (int i = 0; i < n; i++) {
            double[] sum = sums.computeIfAbsent(people.get(i), p -> new double[d]);
            for (int j = 0; j < d; j++) {
                sum[j] += a[i * d + j];
            }
        }
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            float[] c = centre(people.get(i));
            System.arraycopy(c, 0, out, i * d, d);
        }
        return scope.create(out, anchorUnit.getShape());
    }

    /** The person's centre so far, a unit vector; null for a person not seen. */
    public float[] centre(String person) {
        double[] sum = sums.get(person);
        if (sum == null) {
            return null;
        }
        double norm = 0;
        for (double v : sum) {
            norm += v * v;
        }
        double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        float[] c = new float[sum.length];
        for (int j = 0; j < c.length; j++) {
            c[j] = (float) (sum[j] * inv);
        }
        return c;
    }

    /** People seen so far. */
    public int people() {
        return sums.size();
    }
}
