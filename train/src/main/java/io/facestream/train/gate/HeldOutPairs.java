package io.facestream.train.gate;

import io.facestream.train.data.LabelledFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes verification pairs in LFW's {@code pairs.txt} format over a set of people: {@code folds} folds,
 * each of {@code perFold} same-person pairs (people taken in turn) followed by {@code perFold}
 * different-person pairs, no pair twice. Seeded, so the file is a pure function of the folder, the
 * people and the seed. Images must be named as in LFW ({@code Name_NNNN.jpg}).
 */
public final class HeldOutPairs {

    private static final Pattern NUMBER = Pattern.compile("_(\\d+)\\.[A-Za-z]+$");

    private HeldOutPairs() {
    }

    /** The lines of the pairs file. */
    public static List<String> make(LabelledFolder people, int folds, int perFold, long seed) {
        List<String> names = people.names();
        if (names.size() < 2) {
            throw new IllegalArgumentException("held-out pairs need at least 2 people, got " + names.size());
        }
        List<int[]> numbers = new ArrayList<>();
        long samePossible = 0;
        long images = 0;
        for (String n : names) {
            List<Path> files = people.images(n);
            int[] num = new int[files.size()];
            for (int i = 0; i < num.length; i++) {
                num[i] = number(files.get(i));
            }
            numbers.add(num);
            samePossible += (long) num.length * (num.length - 1) / 2;
            images += num.length;
        }
        long total = (long) folds * perFold;
        if (total > samePossible / 2) {
            throw new IllegalArgumentException("asked for " + total + " same-person pairs from " + names.size()
                    + " people with " + samePossible + " possible; use fewer pairs per fold");
        }
        Random random = new Random(seed);
        Set<String> used = new HashSet<>();
        List<String> lines = new ArrayList<>();
        lines.add(folds + "\t" + perFold);
        int turn = 0;
        for (int f = 0; f < folds; f++) {
            for (int i = 0; i < perFold; i++) {
                while (true) {
                    int p = turn % names.size();
                    int[] num = numbers.get(p);
                    if (num.length < 2) {
                        turn++;
                        continue;
                    }
                    int a = num[random.nextInt(num.length)];
                    int b = num[random.nextInt(num.length)];
                    if (a == b) {
                        continue;
                    }
                    int lo = Math.min(a, b);
                    int hi = Math.max(a, b);
                    if (used.add(names.get(p) + "\t" + lo + "\t" + hi)) {
                        lines.add(names.get(p) + "\t" + lo + "\t" + hi);
                        turn++;
                        break;
                    }
                }
            }
            for (int i = 0; i < perFold; i++) {
                while (true) {
                    int p = random.nextInt(names.size());
                    int q = random.nextInt(names.size());
                    if (p == q) {
                        continue;
                    }
                    int a = numbers.get(p)[random.nextInt(numbers.get(p).length)];
                    int b = numbers.get(q)[random.nextInt(numbers.get(q).length)];
                    String key = p < q ? p + ":" + a + ":" + q + ":" + b : q + ":" + b + ":" + p + ":" + a;
                    if (used.add(key)) {
                        lines.add(names.get(p) + "\t" + a + "\t" + names.get(q) + "\t" + b);
                        break;
                    }
                }
            }
        }
        if (images == 0) {
            throw new IllegalArgumentException("the held-out people have no images");
        }
        return lines;
    }

    private static int number(Path file) {
        Matcher m = NUMBER.matcher(file.getFileName().toString());
        if (!m.find()) {
            throw new IllegalArgumentException("held-out pairs need LFW-style names (Name_0001.jpg), got " + file);
        }
        return Integer.parseInt(m.group(1));
    }
}
