package io.facestream.recognize.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A grouping of faces {@code 0..size-1}: {@code label[i]} is face i's group, numbered 0.. from the largest group
 * down (ties by the lowest face), so that equal groupings compare equal and the first group is the biggest.
 */
public record Groups(int[] label) {

    /** Renumbers any labels (each face one int) into the canonical order above. */
    public static Groups of(int[] anyLabels) {
        int n = anyLabels.length;
        java.util.Map<Integer, List<Integer>> byLabel = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            byLabel.computeIfAbsent(anyLabels[i], x -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> groups = new ArrayList<>(byLabel.values());
        groups.sort((x, y) -> x.size() != y.size() ? Integer.compare(y.size(), x.size()) : Integer.compare(x.get(0), y.get(0)));
        int[] label = new int[n];
        for (int g = 0; g < groups.size(); g++) {
            for (int i : groups.get(g)) {
                label[i] = g;
            }
        }
        return new Groups(label);
    }

    /** Number of faces. */
    public int size() {
        return label.length;
    }

    /** Number of groups. */
    public int count() {
        int max = -1;
        for (int l : label) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    /** The faces of each group, in group order, each ascending. */
    public List<int[]> members() {
        int g = count();
        int[] sizes = new int[g];
        for (int l : label) {
            sizes[l]++;
        }
        List<int[]> out = new ArrayList<>(g);
        for (int s : sizes) {
            out.add(new int[s]);
        }
        int[] at = new int[g];
        for (int i = 0; i < label.length; i++) {
            out.get(label[i])[at[label[i]]++] = i;
        }
        return out;
    }

    /** Number of faces in a group of their own. */
    public int singletons() {
        int s = 0;
        for (int[] m : members()) {
            if (m.length == 1) {
                s++;
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Groups g && Arrays.equals(label, g.label);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(label);
    }

    @Override
    public String toString() {
        return "Groups" + Arrays.toString(label);
    }
}
