package io.facestream.gallery.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.facestream.core.codec.Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

/**
 * Who enrolled, renamed or deleted whom, and when: one JSON object a line, appended to a file and flushed
 * to the disk before the request is answered. It names identities and tokens, never a face, an image or a
 * secret, so it may outlive the people it mentions.
 *
 * <pre>{"time":"2026-11-26T06:10:00Z","actor":"admin","role":"admin","action":"delete","identity_id":"ada"}</pre>
 */
public final class AuditLog implements AutoCloseable {

    /** What was done. */
    public enum Action {
        /** an enrolment request was accepted (its outcome is on {@code enrolment-results}) */
        ENROL,
        RENAME,
        DELETE,
        /** a new API token was issued (its name and role; the secret is not kept) */
        ISSUE_TOKEN,
        /** an issued API token was revoked */
        REVOKE_TOKEN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One line of the log. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(Instant time, String actor, String role, String action, String identityId, String displayName,
            String requestId, String detail) {
    }

    private static final Codec<Entry> JSON = Codec.json(Entry.class);

    private final Path file;
    private final Clock clock;
    private final OutputStream out;
    private volatile java.util.function.Consumer<String> observer = action -> { };

    private AuditLog(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
    }

    /** Opens (or creates) the log for appending. */
    public static AuditLog open(Path file) {
        return open(file, Clock.systemUTC());
    }

    static AuditLog open(Path file, Clock clock) {
        try {
            return new AuditLog(file, clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Told the action of each line written (the service's metrics). */
    public void observe(java.util.function.Consumer<String> actionObserver) {
        this.observer = actionObserver;
    }

    public Path file() {
        return file;
    }

    /**
     * Appends one line. A line that cannot be written fails the change it records (the caller answers 503):
     * a change nobody can account for is worse than one not made.
     */
    public synchronized void record(Principal who, Action action, String identityId, String displayName,
            String requestId, String detail) {
        Entry e = new Entry(clock.instant(), who.name(), who.role().label(), action.label(), identityId, displayName,
                requestId, detail);
        byte[] json = JSON.encode(e);
        try {
            out.write(json);
            out.write('\n');
            out.flush();
            observer.accept(action.label());
        } catch (IOException ex) {
            throw new IllegalStateException("the audit log " + file + " could not be written (" + ex.getMessage()
                    + "), so the change was not made", ex);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing left to record
        }
    }
}
