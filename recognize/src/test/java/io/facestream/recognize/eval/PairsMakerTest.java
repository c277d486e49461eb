package io.facestream.recognize.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.recognize.eval.PairsMaker.Person;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pairs drawn over a small synthetic folder: read back by {@link PairsFile}, counted, and checked for balance. */
class PairsMakerTest {

    /** Seven people (an odd number: the round-robin has a bye), 6 to 12 images each. */
    private static final List<Person> SEVEN = List.of(new Person("Ann", 8), new Person("Bob", 9),
            new Person("Cy", 10), new Person("Dee", 6), new Person("Eve", 12), new Person("Fay", 7), new Person("Gus", 6));

    @Test
    void writesAFileThatPairsFileReadsBackWithTheImagesOfTheList(@TempDir Path dir) throws IOException {
        Path images = folder(dir, SEVEN);
        Path people = dir.resolve("people.txt");
        Files.writeString(people, "Ann\t8\nBob\t9\n\nCy 10\nDee\t6\nEve\t12\nFay\t7\nGus\t6\n");
        List<Person> read = PairsMaker.readPeople(people);
        assertEquals(SEVEN, read);
        assertEquals(List.of(), PairsMaker.missingImages(images, read));

        List<String> lines = new PairsMaker(4, 21, 1).make(read);
        assertEquals("4\t21", lines.get(0));
        Path txt = dir.resolve("pairs.txt");
        Files.write(txt, lines);
        PairsFile pf = PairsFile.read(txt, images);
        assertEquals(4, pf.folds());
        assertEquals(21, pf.pairsPerClass());
        assertEquals(168, pf.pairs().size());
        pf.requireImages();
        // 7 people with 58 images; least-used-first drawing touches every one of them.
        assertEquals(58, pf.images().size());
        for (Pair p : pf.pairs()) {
            assertEquals(p.same(), p.a().getParent().equals(p.b().getParent()), p.toString());
        }
    }

    @Test
    void noPairOccursTwiceInEitherOrder() {
        List<String> lines = new PairsMaker(4, 21, 1).make(SEVEN);
        Set<String> seen = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            String a = f[0] + "_" + f[1];
            String b = f.length == 3 ? f[0] + "_" + f[2] : f[2] + "_" + f[3];
            assertNotEquals(a, b, line);
            String key = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
            assertTrue(seen.add(key), "twice: " + line);
        }
        assertEquals(168, seen.size());
    }

    @Test
    void theSameSeedGivesTheSameFileAndAnotherSeedAnother() {
        List<String> one = new PairsMaker(4, 21, 1).make(SEVEN);
        assertEquals(one, new PairsMaker(4, 21, 1).make(SEVEN));
        List<String> two = new PairsMaker(4, 21, 2).make(SEVEN);
        assertEquals(one.size(), two.size());
        assertNotEquals(one, two);
    }

    @Test
    void everyPersonAndEveryPairOfPeopleGetsTheSameShareWhenTheNumbersDivide() {
        // 84 same-person pairs over 7 people: 12 each, 3 in every fold. 84 different-person pairs over the
        // 21 pairs of people: 4 each; every fold is 7 whole round-robin rounds of 3, in which each person
        // sits out once, so 6 appearances per person per fold.
        PairsFile pf = PairsFile.parse(new PairsMaker(4, 21, 5).make(SEVEN), "pairs.txt", Path.of("x"));
        Map<String, Integer> samePerPerson = new HashMap<>();
        Map<String, Integer> perPairOfPeople = new HashMap<>();
        for (int fold = 0; fold < 4; fold++) {
            Map<String, Integer> sameInFold = new HashMap<>();
            Map<String, Integer> differentInFold = new HashMap<>();
            for (Pair p : pf.pairs()) {
                if (p.fold() != fold) {
                    continue;
                }
                String a = person(p.a());
                String b = person(p.b());
                if (p.same()) {
                    sameInFold.merge(a, 1, Integer::sum);
                    samePerPerson.merge(a, 1, Integer::sum);
                } else {
                    differentInFold.merge(a, 1, Integer::sum);
                    differentInFold.merge(b, 1, Integer::sum);
                    perPairOfPeople.merge(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a, 1, Integer::sum);
                }
            }
            for (Person person : SEVEN) {
                assertEquals(3, sameInFold.get(person.name()), "fold " + fold + " " + person);
                assertEquals(6, differentInFold.get(person.name()), "fold " + fold + " " + person);
            }
        }
        for (Person person : SEVEN) {
            assertEquals(12, samePerPerson.get(person.name()), person.toString());
        }
        assertEquals(21, perPairOfPeople.size());
        perPairOfPeople.forEach((k, n) -> assertEquals(4, n, k));
    }

    @Test
    void sharesDifferByAtMostOneWhenTheNumbersDoNotDivide() {
        // 5 people, 3 folds of 11: 33 same-person pairs (6 or 7 each), 33 different over 10 pairs of people (3 or 4 each).
        List<Person> five = List.of(new Person("P1", 9), new Person("P2", 7), new Person("P3", 8),
                new Person("P4", 11), new Person("P5", 6));
        PairsFile pf = PairsFile.parse(new PairsMaker(3, 11, 9).make(five), "pairs.txt", Path.of("x"));
        Map<String, Integer> same = new HashMap<>();
        Map<String, Integer> pairsOfPeople = new HashMap<>();
        Map<Path, Integer> uses = new HashMap<>();
        for (Pair p : pf.pairs()) {
            uses.merge(p.a(), 1, Integer::sum);
            uses.merge(p.b(), 1, Integer::sum);
            if (p.same()) {
                same.merge(person(p.a()), 1, Integer::sum);
            } else {
                String a = person(p.a());
                String b = person(p.b());
                pairsOfPeople.merge(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a, 1, Integer::sum);
            }
        }
        assertEquals(5, same.size());
        assertSpread(same.values(), 6, 7);
        assertEquals(10, pairsOfPeople.size());
        assertSpread(pairsOfPeople.values(), 3, 4);
        // Least-used images first: within each person the images are used evenly, to within one... plus the
        // other kind of pair drawn in between, so within two.
        for (Person person : five) {
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int n = 1; n <= person.images(); n++) {
                int u = uses.getOrDefault(PairsFile.imagePath(Path.of("x"), person.name(), n), 0);
                min = Math.min(min, u);
                max = Math.max(max, u);
            }
            assertTrue(max - min <= 2, person + ": images used " + min + " to " + max + " times");
        }
    }

    @Test
    void refusesWhatThePeopleCannotSupplyWithASentence(@TempDir Path dir) throws IOException {
        List<Person> few = List.of(new Person("Ann", 3), new Person("Bob", 2), new Person("Cy", 1));
        // 3 + 1 + 0 = 4 distinct same-person pairs.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PairsMaker(1, 5, 1).make(few));
        assertTrue(e.getMessage().contains("only 4 distinct same-person pairs but 5"), e.getMessage());
        assertEquals(4, new PairsMaker(2, 2, 1).make(few).stream().filter(l -> l.split("\t").length == 3).count());

        Path bad = dir.resolve("people.txt");
        Files.writeString(bad, "Ann\t3\nBob two\n");
        e = assertThrows(IllegalArgumentException.class, () -> PairsMaker.readPeople(bad));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("Bob two"), e.getMessage());
        Files.writeString(bad, "Ann\t3\nAnn\t2\n");
        e = assertThrows(IllegalArgumentException.class, () -> PairsMaker.readPeople(bad));
        assertTrue(e.getMessage().contains("Ann is listed twice"), e.getMessage());

        Path images = folder(dir, List.of(new Person("Ann", 2)));
        assertEquals(List.of(PairsFile.imagePath(images, "Ann", 3)), PairsMaker.missingImages(images, List.of(new Person("Ann", 3))));
    }

    private static void assertSpread(Iterable<Integer> counts, int low, int high) {
        for (int c : counts) {
            assertTrue(c >= low && c <= high, "count " + c + " outside " + low + ".." + high);
        }
    }

    private static String person(Path image) {
        return image.getParent().getFileName().toString();
    }

    /** Empty files named as LFW names them: the maker looks at names only. */
    private static Path folder(Path dir, List<Person> people) throws IOException {
        Path images = dir.resolve("images");
        for (Person p : people) {
            for (int n = 1; n <= p.images(); n++) {
                Path f = PairsFile.imagePath(images, p.name(), n);
                Files.createDirectories(f.getParent());
                Files.createFile(f);
            }
        }
        return images;
    }
}
