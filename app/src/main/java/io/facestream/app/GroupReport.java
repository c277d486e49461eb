package io.facestream.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facestream.recognize.engine.DatasetEmbedder;
import io.facestream.recognize.engine.FaceVariants;
import io.facestream.recognize.group.GroupingScores;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** What {@code facestream group} made, written out: a folder per group, contact sheets, JSON, and the summary. */
final class GroupReport {

    private final Path root;
    private final List<Path> faces;
    private final DatasetEmbedder.Result<FaceVariants> embedded;
    private final String embedding;
    private final List<GroupMethod.Run> runs;

    GroupReport(Path root, List<Path> faces, DatasetEmbedder.Result<FaceVariants> embedded, String embedding, List<GroupMethod.Run> runs) {
        this.root = root;
        this.faces = faces;
        this.embedded = embedded;
        this.embedding = embedding;
        this.runs = runs;
    }

    /** The name of group {@code g} (0 is the largest): group-0001, group-0002, ... */
    static String groupName(int g) {
        return String.format(Locale.ROOT, "group-%04d", g + 1);
    }

    /** {@code <out>/<method>/group-NNNN/}: a link to each image (a copy where links cannot be made); old groups go first. */
    void writeFolders(Path out) throws IOException {
        for (GroupMethod.Run run : runs) {
            Path dir = out.resolve(run.method().cliName());
            clearGroups(dir);
            List<int[]> members = run.groups().members();
            for (int g = 0; g < members.size(); g++) {
                Path gd = dir.resolve(groupName(g));
                Files.createDirectories(gd);
                Set<String> used = new HashSet<>();
                for (int i : members.get(g)) {
                    Path src = faces.get(i);
                    String name = src.getFileName().toString();
                    if (!used.add(name)) { // same file name from two folders: keep both
                        name = src.getParent().getFileName() + "_" + name;
                        used.add(name);
                    }
                    link(src.toAbsolutePath(), gd.resolve(name));
                }
            }
        }
    }

    private static void link(Path target, Path at) throws IOException {
        try {
            Files.createSymbolicLink(at, target);
        } catch (UnsupportedOperationException | FileAlreadyExistsException | SecurityException e) {
            Files.copy(target, at, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.copy(target, at, StandardCopyOption.REPLACE_EXISTING); // e.g. a file system without links
        }
    }

    /** Removes the group-NNNN folders an earlier run left (links are removed, never what they point to). */
    private static void clearGroups(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> old;
        try (Stream<Path> s = Files.list(dir)) {
            old = s.filter(p -> p.getFileName().toString().matches("group-\\d+")).toList();
        }
        for (Path g : old) {
            try (Stream<Path> s = Files.walk(g)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** {@code <sheet>/<method>/group-NNNN.png} for every group. */
    void writeSheets(Path sheet) throws IOException {
        for (GroupMethod.Run run : runs) {
            Path dir = sheet.resolve(run.method().cliName());
            Files.createDirectories(dir);
            List<int[]> members = run.groups().members();
            for (int g = 0; g < members.size(); g++) {
                List<Path> imgs = new ArrayList<>();
                for (int i : members.get(g)) {
                    imgs.add(faces.get(i));
                }
                ContactSheet.write(dir.resolve(groupName(g) + ".png"), run.method().cliName() + " " + groupName(g), imgs);
            }
        }
    }

    /** The groups, parameters, timings and scores; {@code crossCheck} (may be null) goes in under that name. */
    void writeJson(Path file, ObjectNode crossCheck) throws IOException {
        ObjectNode top = Json.object();
        top.put("images", root.toString());
        top.put("faces", faces.size());
        top.put("embedding", embedding);
        top.put("embedSeconds", GroupCommand.round(embedded.seconds()));
        ArrayNode noFace = top.putArray("noFaceFallbackCrop");
        embedded.noFace().forEach(p -> noFace.add(relative(p)));
        ObjectNode failed = top.putObject("failed");
        embedded.failed().forEach((p, why) -> failed.put(relative(p), why));
        ArrayNode methods = top.putArray("methods");
        for (GroupMethod.Run run : runs) {
            ObjectNode m = methods.addObject();
            m.put("method", run.method().cliName());
            m.set("parameters", Json.MAPPER.valueToTree(run.parameters()));
            m.put("seconds", GroupCommand.round(run.seconds()));
            m.put("groups", run.groups().count());
            m.put("singletons", run.groups().singletons());
            if (run.scores() != null) {
                putScores(m.putObject("scores"), run.scores());
            }
            ArrayNode groups = m.putArray("members");
            List<int[]> members = run.groups().members();
            for (int g = 0; g < members.size(); g++) {
                ObjectNode gn = groups.addObject();
                gn.put("group", groupName(g));
                gn.put("size", members.get(g).length);
                ArrayNode list = gn.putArray("images");
                for (int i : members.get(g)) {
                    list.add(relative(faces.get(i)));
                }
            }
        }
        if (crossCheck != null) {
            top.set("crossCheck", crossCheck);
        }
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(abs.toFile(), top);
    }

    static void putScores(ObjectNode f, GroupingScores s) {
        f.put("people", s.people());
        f.put("pairwisePrecision", s.pairwisePrecision());
        f.put("pairwiseRecall", s.pairwiseRecall());
        f.put("pairwiseF", s.pairwiseF());
        f.put("bcubedPrecision", s.bcubedPrecision());
        f.put("bcubedRecall", s.bcubedRecall());
        f.put("bcubedF", s.bcubedF());
    }

    /** One screen: what was embedded, and per method its groups, time and (when the people are known) scores. */
    void print(PrintStream o, Path out, Path sheet, Path json) {
        o.printf(Locale.ROOT, "%d faces; embedding: %s%n", faces.size(), embedding);
        o.printf(Locale.ROOT, "embedded in %.1f s%s%n", embedded.seconds(), embedded.seconds() == 0 ? " (read from the cache)" : "");
        if (!embedded.noFace().isEmpty()) {
            o.printf(Locale.ROOT, "no face found in %d image(s); the documented centre crop stands in%n", embedded.noFace().size());
        }
        if (!embedded.failed().isEmpty()) {
            o.printf(Locale.ROOT, "%d image(s) could not be read and are left out (see the JSON)%n", embedded.failed().size());
        }
        GroupingScores any = runs.isEmpty() ? null : runs.get(0).scores();
        o.println();
        if (any != null) {
            o.printf(Locale.ROOT, "%d people in the folder names%n", any.people());
            o.printf(Locale.ROOT, "%-10s %7s %6s %7s | %-21s | %-21s | %8s%n", "method", "groups", "single", "largest",
                    "pairwise P / R / F", "BCubed P / R / F", "time");
        } else {
            o.printf(Locale.ROOT, "%-10s %7s %6s %7s %8s%n", "method", "groups", "single", "largest", "time");
        }
        for (GroupMethod.Run run : runs) {
            int largest = run.groups().members().get(0).length;
            if (run.scores() != null) {
                GroupingScores s = run.scores();
                o.printf(Locale.ROOT, "%-10s %7d %6d %7d | %.3f / %.3f / %.3f | %.3f / %.3f / %.3f | %7.1fs%n",
                        run.method().cliName(), run.groups().count(), run.groups().singletons(), largest,
                        s.pairwisePrecision(), s.pairwiseRecall(), s.pairwiseF(), s.bcubedPrecision(), s.bcubedRecall(), s.bcubedF(),
                        run.seconds());
            } else {
                o.printf(Locale.ROOT, "%-10s %7d %6d %7d %7.1fs%n", run.method().cliName(), run.groups().count(),
                        run.groups().singletons(), largest, run.seconds());
            }
        }
        o.println();
        for (GroupMethod.Run run : runs) {
            o.printf(Locale.ROOT, "%s: %s%n", run.method().cliName(), brief(run.parameters()));
        }
        o.println("groups written to " + out + "/<method>/group-NNNN");
        if (sheet != null) {
            o.println("contact sheets drawn to " + sheet + "/<method>/group-NNNN.png");
        }
        if (json != null) {
            o.println("groups and figures written to " + json);
        }
    }

    private static String brief(Map<String, Object> p) {
        StringBuilder s = new StringBuilder();
        p.forEach((key, v) -> {
            if (!key.equals("rule") && !key.equals("weight")) {
                s.append(s.length() == 0 ? "" : ", ").append(key).append(' ').append(v);
            }
        });
        return s.toString();
    }

    private String relative(Path p) {
        return root.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString();
    }
}
