package io.facestream.app;

import io.facestream.recognize.group.Groups;
import io.facestream.recognize.group.GroupingScores;
import java.util.Locale;
import java.util.Map;

/** The grouping methods of {@code facestream group}: ours (consensus) and the two baselines. */
enum GroupMethod {
    /** A committee's agreed k-NN links, propagated with CDP's size-limited splitting. */
    CONSENSUS,
    /** DBSCAN on distances, as facenet's contributed cluster.py. */
    DBSCAN,
    /** Chinese Whispers on the graph of pairs under a distance, as dlib and facenet's contributed clustering. */
    WHISPERS,
    /** The consensus method's propagation over one embedder's k-NN graph (the ensemble): the committee taken away. */
    SINGLE;

    /** The name on the command line and in the JSON. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What one method made: its groups, its parameters (for the JSON), its time, and its scores when the people are known. */
    record Run(GroupMethod method, Map<String, Object> parameters, Groups groups, double seconds, GroupingScores scores) {
    }
}
