package io.facestream.gallery.http;

import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.Sighting;
import io.facestream.core.event.UnknownGroup;
import io.facestream.core.topic.Topics;
import io.facestream.gallery.console.ClusterFigures;
import io.facestream.gallery.console.LiveFeed;
import io.facestream.gallery.stream.GalleryTopology;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON bodies the API answers with, in one place so the API's shape reads at a glance. Fields are
 * written in snake case like every facestream JSON (core's JSON codec).
 */
final class Views {

    private Views() {
    }

    /** One enrolled person, without their crops and embeddings. */
    record Identity(String identityId, String displayName, int faces, List<String> modelIds, Instant enrolledAt) {
        static Identity of(GalleryEntry e) {
            return new Identity(e.identityId(), e.displayName(), e.crops().size(),
                    e.embeddings().keySet().stream().sorted().toList(), e.enrolledAt());
        }
    }

    /** A page of identities in id order; {@code nextAfter} is the {@code after} of the next page, null on the last. */
    record IdentityPage(List<Identity> identities, String nextAfter) {
    }

    /** Where an enrolment request stands: {@code pending}, {@code ok} or {@code error} with the reason. */
    record Enrolment(String requestId, String identityId, String status, String reason) {
        static final String PENDING = "pending";

        static Enrolment pending(String requestId, String identityId) {
            return new Enrolment(requestId, identityId, PENDING, null);
        }

        static Enrolment of(EnrolmentResult r) {
            return new Enrolment(r.requestId(), r.identityId(), r.status().name().toLowerCase(Locale.ROOT), r.reason());
        }
    }

    /**
     * The outcome of a deletion: {@code deleted}, or {@code deleting} while the store has not caught up yet; what
     * was erased where, by when compaction makes it final, and what only expires with its topic's retention.
     */
    record Deletion(String identityId, String status, List<String> erased, String finalWithin,
            List<String> expiresWithRetention) {
        static Deletion of(String id, String status) {
            return new Deletion(id, status, List.of(
                    "gallery topic: a tombstone; every gallery store (this service's, the recognize job's) has dropped"
                            + " or is dropping the entry with its face crops and embeddings",
                    "sightings topic: a tombstone; no visit of " + id + " is published from now on",
                    "sightings store: GET /sightings answers no visit of " + id + " from now on; the visits leave the"
                            + " store within " + GalleryTopology.VISITS_ERASED_WITHIN.toSeconds() + " s (tombstones on"
                            + " its changelog topic)"),
                    Topics.ERASED_WITHIN.toString(), List.of(
                    "enrolments: the uploaded photos, until the topic's retention",
                    "matches: match events naming " + id + " (keyed by camera), until the topic's retention",
                    "hard-examples: face crops the recognize job mined for the trainer under " + id + " (when it mines"
                            + " them), until the topic's retention (" + Topics.HARD_EXAMPLES.config(
                            org.apache.kafka.common.config.TopicConfig.RETENTION_MS_CONFIG).map(ms -> Long.parseLong(ms)
                            / 3_600_000 + " h").orElse("the broker's default") + "; a continuous trainer drops those it"
                            + " holds from its replay buffer, memory and disk, when it reads the gallery's tombstone)",
                    "frames: camera frames, until the topic's retention (" + Topics.FRAMES.config(
                            org.apache.kafka.common.config.TopicConfig.RETENTION_MS_CONFIG).map(ms -> Long.parseLong(ms)
                            / 60_000 + " min").orElse("the broker's default") + ")"));
        }
    }

    /**
     * An unknown group, without its faces ({@code faces} says how many {@code GET /unknowns/{id}/faces/{n}} serves);
     * {@code visits} counts the group's visits in this instance's sightings store.
     */
    record Unknown(String unknownId, Instant firstSeen, Instant lastSeen, int tracks, List<String> cameras, int faces,
            String modelId, long visits) {
        static Unknown of(UnknownGroup g, long visits) {
            return new Unknown(g.unknownId(), g.firstSeen(), g.lastSeen(), g.tracks(), g.cameras(), g.faces().size(),
                    g.modelId(), visits);
        }
    }

    /**
     * A page of unknown groups, the most recently seen first; {@code nextAfter} is the {@code after} of the next
     * page, null on the last.
     */
    record UnknownPage(List<Unknown> unknowns, String nextAfter) {
    }

    /** The enrolment requests that naming an unknown group made, one per face, each pending at first. */
    record Naming(String unknownId, String identityId, String displayName, List<Enrolment> requests) {
    }

    /** The outcome of an unknown group's deletion: {@code deleted}, or {@code deleting} while the store catches up. */
    record UnknownDeletion(String unknownId, String status, List<String> erased, String finalWithin) {
        static UnknownDeletion of(String id, String status) {
            return new UnknownDeletion(id, status, List.of(
                    "unknowns topic: a tombstone; the gallery's store has dropped or is dropping the group with its"
                            + " face crops",
                    "sightings topic: a tombstone; no visit of " + id + " is published from now on",
                    "sightings store: GET /sightings answers no visit of " + id + " from now on; the visits leave the"
                            + " store within " + GalleryTopology.VISITS_ERASED_WITHIN.toSeconds() + " s"),
                    Topics.ERASED_WITHIN.toString());
        }
    }

    /** Visits, newest first. */
    record Sightings(List<Sighting> sightings) {
    }

    /** The Kafka Streams state behind the API. */
    record Health(String status) {
    }

    /** The published models, oldest first, and the model of the newest face on {@code matches}. */
    record Models(String liveModelId, List<LiveFeed.ModelView> models) {
    }

    /** A token's name and role; its secret only in the answer that issued it. */
    record Token(String name, String role, String token) {
    }

    /** The tokens' names and roles. */
    record Tokens(List<Token> tokens) {
    }

    /** Capture → console latency of the latest faces, in ms; null before any face. */
    record Latency(Double p50, Double p95, Double p99, int samples) {
    }

    /** What the health page shows. */
    record Status(String streams, List<LiveFeed.CameraView> cameras, Latency latencyMs, List<ClusterFigures.Lag> lag,
            Long deadLetters, String clusterError, int watchers) {
    }

    /** A refused request: its HTTP status and why. */
    record Error(int status, String error) {
    }
}
