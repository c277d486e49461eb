package io.facestream.recognize.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Draws verification pairs in LFW's {@code pairs.txt} format over a list of people, so that a set laid
 * out like LFW but shipped without pairs (or a different split of one) can be evaluated by the same
 * protocol. The output is a pure function of the people, the fold layout and the seed.
 *
 * <p>Balance, the property that keeps one person from deciding the score: same-person pairs go to the
 * people in turn (a seeded order), so every person has the same number, to within one, in the whole file
 * and in each fold; different-person pairs walk a round-robin schedule of all pairs of people, so every
 * pair of people occurs equally often, to within one, and every person about equally often in each
 * fold. Within a person the images are drawn least-used first, so every image is in about as many pairs
 * as the others. No pair occurs twice, in either order. As in LFW, each fold's lines are sorted by name.
 */
public final class PairsMaker {

    /**
     * One person of the list: a name that is also the image folder's name, and how many images
     * ({@code Name_0001.jpg} ...) the folder holds.
     */
    public record Person(String name, int images) {

        /** Validates that the name can stand in a pairs file and the count is positive. */
        public Person {
            if (name == null || name.isBlank() || !name.equals(name.strip()) || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("person name '" + name + "' must be a non-empty folder name without spaces or tabs");
            }
            if (images < 1) {
                throw new IllegalArgumentException("person " + name + " must have at least 1 image, had " + images);
            }
        }
    }

    private final int folds;
    private final int perFold;
    private final long seed;

    /**
     * @param folds number of folds (10 for LFW)
     * @param perFold same-person pairs per fold, and as many different-person pairs (300 for LFW)
     * @param seed the seed the draw is a function of
     */
    public PairsMaker(int folds, int perFold, long seed) {
        if (folds < 1) {
            throw new IllegalArgumentException("folds must be at least 1, was " + folds);
        }
        if (perFold < 1) {
            throw new IllegalArgumentException("pairs per fold must be at least 1, was " + perFold);
        }
        this.folds = folds;
        this.perFold = perFold;
        this.seed = seed;
    }

    /**
     * Reads a people list: one {@code Name<TAB>count} line per person (spaces also separate), blank lines
     * ignored.
     *
     * @throws IllegalArgumentException naming the file and line when a line is not of that form or a name repeats
     */
    public static List<Person> readPeople(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("people list " + file + " does not exist or is not a file; give a file of 'Name<TAB>count' lines");
        }
        List<String> lines = TextLines.read(file, "people list", "'Name<TAB>count' lines");
        List<Person> people = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replace("\uFEFF", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            int count = -1;
            if (f.length == 2) {
                try {
                    count = Integer.parseInt(f[1]);
                } catch (NumberFormatException e) {
                    // reported below with the line
                }
            }
            if (count < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s line %d: expected 'Name<TAB>count' with a positive count, got '%s'", file, i + 1, line));
            }
            if (!seen.add(f[0])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s line %d: %s is listed twice; list each person once", file, i + 1, f[0]));
            }
            people.add(new Person(f[0], count));
        }
        return people;
    }

    /** The images the people list names that are not files under {@code dir}, in list order. */
    public static List<Path> missingImages(Path dir, List<Person> people) {
        List<Path> missing = new ArrayList<>();
        for (Person p : people) {
            for (int n = 1; n <= p.images(); n++) {
                Path image = PairsFile.imagePath(dir, p.name(), n);
                if (!Files.isRegularFile(image)) {
                    missing.add(image);
                }
            }
        }
        return missing;
    }

    /**
     * The lines of the pairs file: the header {@code folds<TAB>perFold}, then per fold its same-person
     * lines {@code Name<TAB>n1<TAB>n2} and its different-person lines {@code Name1<TAB>n1<TAB>Name2<TAB>n2}
     * (image numbers from 1).
     *
     * @throws IllegalArgumentException when the people cannot supply that many distinct pairs
     */
    public List<String> make(List<Person> people) {
        int total = folds * perFold;
        checkPeople(people, total);
        Random random = new Random(seed);
        Draw draw = new Draw(people, random);
        List<String[]> same = draw.samePersonPairs(total);
        List<String[]> different = draw.differentPersonPairs(total);
        List<String> lines = new ArrayList<>(1 + 2 * total);
        lines.add(folds + "\t" + perFold);
        for (int k = 0; k < folds; k++) {
            lines.addAll(sortedByName(same.subList(k * perFold, (k + 1) * perFold)));
            lines.addAll(sortedByName(different.subList(k * perFold, (k + 1) * perFold)));
        }
        return lines;
    }

    private static void checkPeople(List<Person> people, int total) {
        Set<String> names = new HashSet<>();
        long samePossible = 0;
        long imagesSoFar = 0;
        long differentPossible = 0;
        for (Person p : people) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("person " + p.name() + " is listed twice; list each person once");
            }
            samePossible += (long) p.images() * (p.images() - 1) / 2;
            differentPossible += imagesSoFar * p.images();
            imagesSoFar += p.images();
        }
        if (people.size() < 2) {
            throw new IllegalArgumentException("different-person pairs need at least 2 people, the list has " + people.size());
        }
        if (samePossible < total) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the people can make only %d distinct same-person pairs but %d are asked for;"
                            + " lower --folds or --per-fold, or list more people", samePossible, total));
        }
        if (differentPossible < total) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the people can make only %d distinct different-person pairs but %d are asked for;"
                            + " lower --folds or --per-fold, or list more people", differentPossible, total));
        }
    }

    private static List<String> sortedByName(List<String[]> pairs) {
        List<String[]> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.<String[], String>comparing(f -> f[0])
                .thenComparingInt(f -> Integer.parseInt(f[1]))
                .thenComparing(f -> f.length == 4 ? f[2] : "")
                .thenComparingInt(f -> Integer.parseInt(f[f.length - 1])));
        List<String> lines = new ArrayList<>(sorted.size());
        for (String[] f : sorted) {
            lines.add(String.join("\t", f));
        }
        return lines;
    }

    /** The state of one draw: how often each image was used and which pairs are taken. */
    private static final class Draw {
        private final List<Person> people;
        private final Random random;
        private final int[][] uses;
        private final Set<String> taken = new HashSet<>();

        Draw(List<Person> people, Random random) {
            this.people = people;
            this.random = random;
            this.uses = new int[people.size()][];
            for (int p = 0; p < people.size(); p++) {
                uses[p] = new int[people.get(p).images()];
            }
        }

        /** {@code total} same-person pairs, the people taking turns in a seeded order. */
        List<String[]> samePersonPairs(int total) {
            List<Integer> order = new ArrayList<>();
            for (int p = 0; p < people.size(); p++) {
                order.add(p);
            }
            Collections.shuffle(order, random);
            List<String[]> out = new ArrayList<>(total);
            int cursor = 0;
            while (out.size() < total) {
                int p = order.get(cursor++ % order.size());
                int[] pair = leastUsed(p, p);
                if (pair != null) {
                    int a = Math.min(pair[0], pair[1]);
                    int b = Math.max(pair[0], pair[1]);
                    out.add(new String[] {people.get(p).name(), number(a), number(b)});
                }
            }
            return out;
        }

        /**
         * {@code total} different-person pairs along a round-robin schedule (the circle method): each
         * round pairs every person with another at most once, so any stretch of the schedule meets every
         * person about equally often.
         */
        List<String[]> differentPersonPairs(int total) {
            List<int[]> schedule = roundRobin();
            List<String[]> out = new ArrayList<>(total);
            int cursor = 0;
            while (out.size() < total) {
                int[] pq = schedule.get(cursor++ % schedule.size());
                int p = pq[0];
                int q = pq[1];
                if (people.get(p).name().compareTo(people.get(q).name()) > 0) {
                    p = pq[1];
                    q = pq[0];
                }
                int[] pair = leastUsed(p, q);
                if (pair != null) {
                    out.add(new String[] {people.get(p).name(), number(pair[0]), people.get(q).name(), number(pair[1])});
                }
            }
            return out;
        }

        private List<int[]> roundRobin() {
            List<Integer> seats = new ArrayList<>();
            for (int p = 0; p < people.size(); p++) {
                seats.add(p);
            }
            Collections.shuffle(seats, random);
            if (seats.size() % 2 == 1) {
                seats.add(-1); // the bye
            }
            int m = seats.size();
            List<int[]> schedule = new ArrayList<>(m * (m - 1) / 2);
            for (int round = 0; round < m - 1; round++) {
                for (int i = 0; i < m / 2; i++) {
                    int a = seats.get(i);
                    int b = seats.get(m - 1 - i);
                    if (a >= 0 && b >= 0) {
                        schedule.add(new int[] {a, b});
                    }
                }
                // The first seat stays; the others move round by one.
                seats.add(1, seats.remove(m - 1));
            }
            return schedule;
        }

        /**
         * The untaken pair of an image of person {@code p} and one of person {@code q} (0-based numbers)
         * that uses the least-used images, ties broken at random; marks it taken and counts the uses.
         * Null when every pair of the two is taken.
         */
        private int[] leastUsed(int p, int q) {
            List<Integer> first = byUse(p);
            List<Integer> second = p == q ? first : byUse(q);
            for (int a : first) {
                for (int b : second) {
                    if (p == q && a == b) {
                        continue;
                    }
                    if (taken.add(key(p, a, q, b))) {
                        uses[p][a]++;
                        uses[q][b]++;
                        return new int[] {a, b};
                    }
                }
            }
            return null;
        }

        private List<Integer> byUse(int p) {
            List<Integer> images = new ArrayList<>(uses[p].length);
            for (int i = 0; i < uses[p].length; i++) {
                images.add(i);
            }
            Collections.shuffle(images, random);
            images.sort(Comparator.comparingInt(i -> uses[p][i])); // stable: equal uses keep the shuffled order
            return images;
        }

        /** The same string for a pair in either order. */
        private static String key(int p, int a, int q, int b) {
            return p < q || (p == q && a < b) ? p + "/" + a + "|" + q + "/" + b : q + "/" + b + "|" + p + "/" + a;
        }

        private static String number(int zeroBased) {
            return Integer.toString(zeroBased + 1);
        }
    }
}
