package io.facestream.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Splits a list of people into training people and held-out people for the validation gate, by a seeded
 * shuffle: the same list and seed always give the same split, and no held-out person is trained on.
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

    /** The default number held out: a fifth of the people, at least 2. */
    public static int defaultCount(int people) {
        return Math.max(2, people / 5);
    }
}
