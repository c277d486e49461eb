package io.facestream.train.data;

import io.facestream.core.Embedding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How hard each person of a labelled set is for a model, without a threshold: for every face of the person, the
 * fraction of that person's other faces lying farther from it than its nearest face of anyone else; the person's
 * difficulty is the mean over their faces. 0 means every face has all its own person's faces nearer than any other
 * person's; a person whose faces under some lights sit nearer to other people scores above 0 in proportion.
 *
 * <p>Used to hold out a gate's people across the range of difficulty ({@link HeldOutSplit#stratified}): a gate over
 * people the model already gets right cannot tell a better model from a worse one.
 */
public final class PersonDifficulty {

    private PersonDifficulty() {
    }

    /**
     * Each person's difficulty under {@code embeddings} (unit vectors, by person); every person needs at least two
     * faces and there must be at least two people.
     */
    public static Map<String, Double> of(Map<String, List<float[]>> embeddings) {
        if (embeddings.size() < 2) {
            throw new IllegalArgumentException("difficulty compares people with each other; got " + embeddings.size());
        }
        List<String> owner = new ArrayList<>();
        List<float[]> all = new ArrayList<>();
        for (Map.Entry<String, List<float[]>> e : embeddings.entrySet()) {
            if (e.getValue().size() < 2) {
                throw new IllegalArgumentException(e.getKey() + " has " + e.getValue().size()
                        + " face(s); a person's difficulty needs at least 2");
            }
            for (float[] v : e.getValue()) {
                owner.add(e.getKey());
                all.add(v);
            }
        }
        int n = all.size();
        Map<String, Double> sum = new LinkedHashMap<>();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double nearestOther = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                d[j] = Embedding.squaredDistance(all.get(i), all.get(j));
                if (!owner.get(j).equals(owner.get(i))) {
                    nearestOther = Math.min(nearestOther, d[j]);
                }
            }
            int own = 0;
            int beaten = 0;
            for (int j = 0; j < n; j++) {
                if (j != i && owner.get(j).equals(owner.get(i))) {
                    own++;
                    beaten += d[j] > nearestOther ? 1 : 0;
                }
            }
            sum.merge(owner.get(i), (double) beaten / own, Double::sum);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<float[]>> e : embeddings.entrySet()) {
            out.put(e.getKey(), sum.get(e.getKey()) / e.getValue().size());
        }
        return out;
    }
}
