package io.facestream.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Splits a list of people into training people and held-out people for the validation gate: by a seeded shuffle, or
 * spread over the people's difficulty for the starting model ({@link #stratified}). The same input always gives the
 * same split, and no held-out person is trained on.
 */
public record HeldOutSplit(List<String> train, List<String> heldOut) {

    public HeldOutSplit {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /** Holds out {@code count} of {@code people}, chosen by a shuffle seeded with {@code seed}. */
    public static HeldOutSplit of(List<String> people, int count, long seed) {
        if (count < 2 || count > people.size() - 2) {
            throw new IllegalArgumentException("holding out " + count + " of " + people.size() + " people leaves no"
                    + " valid split: the gate needs at least 2 and training at least 2");
        }
        List<String> shuffled = new ArrayList<>(people);
        Collections.shuffle(shuffled, new Random(seed));
        List<String> held = new ArrayList<>(shuffled.subList(0, count));
        List<String> train = new ArrayList<>(people);
        train.removeAll(held);
        Collections.sort(held);
        return new HeldOutSplit(train, held);
    }

    /**
     * Holds out {@code count} of {@code people} spread evenly over the range of {@code difficulty} (see
     * {@link PersonDifficulty}): the people it scores are ranked hardest first (ties by name), cut into {@code count}
     * runs of equal length, and the person in the middle of each run is held out. People it does not score (one photo
     * gives no same-person pair) are never held out and are trained on. A shuffle of a few dozen people can easily hold out only people the
     * starting model already verifies without error, and a gate over them cannot rank candidates; this split holds
     * out hard, middling and easy people in the proportions the whole set has.
     */
    public static HeldOutSplit stratified(List<String> people, Map<String, Double> difficulty, int count) {
        List<String> ranked = people.stream().filter(difficulty::containsKey).collect(Collectors.toList());
        if (count < 2 || count > ranked.size() - 2) {
            throw new IllegalArgumentException("holding out " + count + " of " + ranked.size() + " ranked people leaves"
                    + " no valid split: the gate needs at least 2 and training at least 2");
        }
        ranked.sort(Comparator.comparing((String p) -> -difficulty.get(p)).thenComparing(Comparator.naturalOrder()));
        List<String> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(ranked.get((int) ((i + 0.5) * ranked.size() / count)));
        }
        List<String> train = new ArrayList<>(people);
        train.removeAll(held);
        Collections.sort(held);
        return new HeldOutSplit(train, held);
    }

    /** The default number held out: a fifth of the people, at least 2. */
    public static int defaultCount(int people) {
        return Math.max(2, people / 5);
    }
}
