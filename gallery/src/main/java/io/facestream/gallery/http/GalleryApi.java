package io.facestream.gallery.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.EnrolmentResult;
import io.facestream.core.event.GalleryEntry;
import io.facestream.gallery.auth.AuditLog;
import io.facestream.gallery.stream.GalleryStores;
import io.facestream.gallery.stream.GalleryWriter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gallery's HTTP API, one handler for every route:
 *
 * <pre>
 * POST   /identities/{id}/faces?name=   photo (JPEG or PNG) → 202, an enrolment request on enrolments
 * GET    /enrolments/{requestId}        pending | ok | error with the reason
 * GET    /identities?limit=&amp;after=       a page of identities in id order
 * GET    /identities/{id}               display name, faces, model ids, enrolled at
 * PATCH  /identities/{id}?name=         a new display name (the entry written again to gallery)
 * DELETE /identities/{id}               tombstones on gallery and sightings; the answer says what is erased where
 * GET    /identities/{id}/faces/{n}     the n-th aligned face crop (PNG), from 0
 * GET    /sightings?identity=&amp;camera=&amp;since=&amp;limit=   visits, newest first
 * ...    /unknowns, /unknowns/{id}, /unknowns/{id}/faces/{n}, /unknowns/{id}/name   unknown groups ({@link UnknownsApi})
 * GET    /health, /health/ready         the Kafka Streams state; 503 unless running (or rebalancing)
 * GET    /health/live                   503 once Kafka Streams has stopped for good
 * </pre>
 *
 * plus the console's files ({@link ConsoleFiles}) and routes ({@link ConsoleApi}). Every answer but a crop and
 * the console's files is JSON; a refused request gets a 4xx with a sentence saying why. Enrolments, renames
 * and deletions go to the {@link AuditLog} with the token that asked for them, before they are made.
 */
public final class GalleryApi implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryApi.class);
    /** The header that may carry the display name instead of the {@code name} parameter. */
    public static final String DISPLAY_NAME_HEADER = "X-Display-Name";
    /** How long a deletion waits to see the person leave the store before it answers 202 instead of 200. */
    static final Duration DELETE_VISIBLE_TIMEOUT = Duration.ofSeconds(5);
    /** The probes under {@code /health/}. */
    private static final Set<String> PROBES = Set.of("live", "ready");

    private final GalleryStores stores;
    private final GalleryWriter writer;
    private final Supplier<KafkaStreams.State> state;
    private final int maxUploadBytes;
    private final long maxImagePixels;
    private final IssuedRequests issued = new IssuedRequests(ApiLimits.MAX_TRACKED_REQUESTS);
    private final AuditLog audit;
    private final ConsoleApi console;
    private final UnknownsApi unknowns;

    public GalleryApi(GalleryStores stores, GalleryWriter writer, Supplier<KafkaStreams.State> state, int maxUploadBytes,
            long maxImagePixels, AuditLog audit, ConsoleApi console) {
        this.stores = stores;
        this.writer = writer;
        this.state = state;
        this.maxUploadBytes = maxUploadBytes;
        this.maxImagePixels = maxImagePixels;
        this.audit = audit;
        this.console = console;
        this.unknowns = new UnknownsApi(stores, writer, audit, issued);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex, ex.getRequestMethod(), HttpIo.segments(ex));
            } catch (ApiError e) {
                e.headers().forEach(ex.getResponseHeaders()::set);
                fail(ex, e.status(), e.getMessage());
            } catch (InvalidStateStoreException e) {
                fail(ex, 503, "the gallery's stores are not ready (Kafka Streams is " + state.get()
                        + "); retry in a moment");
            } catch (IllegalStateException e) {
                // A write the cluster did not take.
                LOG.warn("{} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI(), e.getMessage());
                fail(ex, 503, e.getMessage() + "; retry in a moment");
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
                fail(ex, 500, "the gallery failed to answer: " + e);
            }
        }
    }

    private void route(HttpExchange ex, String method, List<String> path) throws IOException {
        String first = path.isEmpty() ? "" : path.get(0);
        if (path.isEmpty() || first.equals(ConsoleFiles.PREFIX)) {
            Params.allow(method, "GET", "HEAD");
            ConsoleFiles.serve(ex, path);
            return;
        }
        if (ConsoleApi.ROUTES.contains(first)) {
            console.route(ex, method, path);
            return;
        }
        switch (first) {
            case "identities" -> {
                if (path.size() == 1) {
                    Params.allow(method, "GET");
                    listIdentities(ex);
                    return;
                }
                if (path.size() == 2) {
                    Params.allow(method, "GET", "PATCH", "DELETE");
                    switch (method) {
                        case "GET" -> getIdentity(ex, path.get(1));
                        case "PATCH" -> rename(ex, path.get(1));
                        default -> deleteIdentity(ex, path.get(1));
                    }
                    return;
                }
                if (path.size() == 4 && path.get(2).equals("faces")) {
                    Params.allow(method, "GET");
                    crop(ex, path.get(1), path.get(3));
                    return;
                }
                if (path.size() == 3 && path.get(2).equals("faces")) {
                    Params.allow(method, "POST");
                    enrol(ex, path.get(1));
                    return;
                }
            }
            case "enrolments" -> {
                if (path.size() == 2) {
                    Params.allow(method, "GET");
                    enrolment(ex, path.get(1));
                    return;
                }
            }
            case UnknownsApi.ROUTE -> {
                if (unknowns.route(ex, method, path)) {
                    return;
                }
            }
            case "sightings" -> {
                if (path.size() == 1) {
                    Params.allow(method, "GET");
                    sightings(ex);
                    return;
                }
            }
            case "health" -> {
                if (path.size() == 1 || (path.size() == 2 && PROBES.contains(path.get(1)))) {
                    Params.allow(method, "GET");
                    health(ex, path.size() == 1 ? "ready" : path.get(1));
                    return;
                }
            }
            default -> {
                // falls to the 404 below
            }
        }
        throw ApiError.notFound("no resource at " + ex.getRequestURI().getRawPath() + "; the API has /identities, "
                + "/identities/{id}, /identities/{id}/faces, /identities/{id}/faces/{n}, /enrolments/{requestId}, /sightings,"
                + " /unknowns, /unknowns/{id}, /unknowns/{id}/faces/{n}, /unknowns/{id}/name, /health, /health/live,"
                + " /health/ready, /live, /models, /status, /whoami, /tokens and the console at /console/");
    }

    private void enrol(HttpExchange ex, String rawId) throws IOException {
        String id = Params.enrollableId(rawId);
        Map<String, String> q = HttpIo.query(ex, Set.of("name"), "POST /identities/{id}/faces");
        String name = Params.displayName(Optional.ofNullable(q.get("name"))
                .or(() -> Optional.ofNullable(ex.getRequestHeaders().getFirst(DISPLAY_NAME_HEADER)))
                .orElse(id));
        byte[] image = HttpIo.body(ex, maxUploadBytes);
        UploadCheck.Photo photo = UploadCheck.inspect(image, maxImagePixels);
        String requestId = UUID.randomUUID().toString();
        audit.record(AccessControl.principal(ex), AuditLog.Action.ENROL, id, name, requestId, null);
        issued.add(requestId, id);
        try {
            writer.enrol(new EnrolmentRequest(requestId, id, name, image));
        } catch (RuntimeException e) {
            issued.remove(requestId);
            throw e;
        }
        LOG.info("Enrolment {} of {} ({} {}x{}, {} bytes) requested", requestId, id, photo.type(), photo.size().width(),
                photo.size().height(),
                image.length);
        ex.getResponseHeaders().set("Location", "/enrolments/" + requestId);
        HttpIo.json(ex, 202, Views.Enrolment.pending(requestId, id));
    }

    private void enrolment(HttpExchange ex, String requestId) throws IOException {
        HttpIo.query(ex, Set.of(), "GET /enrolments/{requestId}");
        Optional<EnrolmentResult> result = stores.result(requestId);
        if (result.isPresent()) {
            issued.remove(requestId);
            HttpIo.json(ex, 200, Views.Enrolment.of(result.get()));
            return;
        }
        String identity = issued.identityOf(requestId);
        if (identity == null) {
            throw ApiError.notFound("no enrolment request " + requestId + " is known here; use the request id that"
                    + " POST /identities/{id}/faces or POST /unknowns/{id}/name answered with");
        }
        HttpIo.json(ex, 200, Views.Enrolment.pending(requestId, identity));
    }

    private void listIdentities(HttpExchange ex) throws IOException {
        Map<String, String> q = HttpIo.query(ex, Set.of("limit", "after"), "GET /identities");
        int limit = Params.intParameter(q, "limit", ApiLimits.DEFAULT_PAGE_SIZE, ApiLimits.MAX_PAGE_SIZE);
        String after = q.get("after");
        List<GalleryEntry> entries = stores.entries(after == null || after.isEmpty() ? null : after, limit + 1);
        boolean more = entries.size() > limit;
        List<Views.Identity> page = entries.stream().limit(limit).map(Views.Identity::of).toList();
        HttpIo.json(ex, 200, new Views.IdentityPage(page, more ? page.get(page.size() - 1).identityId() : null));
    }

    private void getIdentity(HttpExchange ex, String rawId) throws IOException {
        HttpIo.query(ex, Set.of(), "GET /identities/{id}");
        String id = Params.identityId(rawId);
        GalleryEntry entry = stores.entry(id).orElseThrow(() -> unknownIdentity(id));
        HttpIo.json(ex, 200, Views.Identity.of(entry));
    }

    private void deleteIdentity(HttpExchange ex, String rawId) throws IOException {
        HttpIo.query(ex, Set.of(), "DELETE /identities/{id}");
        String id = Params.identityId(rawId);
        if (stores.entry(id).isEmpty()) {
            throw unknownIdentity(id);
        }
        audit.record(AccessControl.principal(ex), AuditLog.Action.DELETE, id, null, null, null);
        writer.delete(id);
        LOG.info("Identity {} deleted (tombstones on the gallery and sightings topics)", id);
        long deadline = System.nanoTime() + DELETE_VISIBLE_TIMEOUT.toNanos();
        while (stores.entry(id).isPresent()) {
            if (System.nanoTime() > deadline) {
                HttpIo.json(ex, 202, Views.Deletion.of(id, "deleting"));
                return;
            }
            pause();
        }
        HttpIo.json(ex, 200, Views.Deletion.of(id, "deleted"));
    }

    private void rename(HttpExchange ex, String rawId) throws IOException {
        Map<String, String> q = HttpIo.query(ex, Set.of("name"), "PATCH /identities/{id}");
        String id = Params.identityId(rawId);
        String name = Params.displayName(Optional.ofNullable(q.get("name"))
                .or(() -> Optional.ofNullable(ex.getRequestHeaders().getFirst(DISPLAY_NAME_HEADER)))
                .orElseThrow(() -> ApiError.badRequest("give the new display name as ?name= or in the "
                        + DISPLAY_NAME_HEADER + " header")));
        GalleryEntry entry = stores.entry(id).orElseThrow(() -> unknownIdentity(id));
        audit.record(AccessControl.principal(ex), AuditLog.Action.RENAME, id, name, null,
                "was \"" + entry.displayName() + "\"");
        // The recognize job's enrol step adopts an entry that holds every face it holds, so the new name stays
        // with the person through later enrolments.
        writer.put(new GalleryEntry(id, name, entry.crops(), entry.embeddings(), entry.enrolledAt()));
        LOG.info("Identity {} renamed", id);
        long deadline = System.nanoTime() + DELETE_VISIBLE_TIMEOUT.toNanos();
        while (!stores.entry(id).map(e -> e.displayName().equals(name)).orElse(true)) {
            if (System.nanoTime() > deadline) {
                break;
            }
            pause();
        }
        HttpIo.json(ex, 200, Views.Identity.of(stores.entry(id).orElse(entry)));
    }

    private void crop(HttpExchange ex, String rawId, String rawIndex) throws IOException {
        HttpIo.query(ex, Set.of(), "GET /identities/{id}/faces/{n}");
        String id = Params.identityId(rawId);
        GalleryEntry entry = stores.entry(id).orElseThrow(() -> unknownIdentity(id));
        List<byte[]> crops = entry.crops();
        HttpIo.image(ex, crops.get(Params.faceIndex(id, rawIndex, crops.size())), "image/png");
    }

    private void sightings(HttpExchange ex) throws IOException {
        Map<String, String> q = HttpIo.query(ex, Set.of("identity", "camera", "since", "limit"), "GET /sightings");
        String identity = Params.text(q, "identity");
        String camera = Params.text(q, "camera");
        Instant since = Params.since(q.get("since"));
        int limit = Params.intParameter(q, "limit", ApiLimits.DEFAULT_SIGHTINGS, ApiLimits.MAX_SIGHTINGS);
        HttpIo.json(ex, 200, new Views.Sightings(stores.sightings(identity, camera, since, limit)));
    }

    /**
     * The probes. Ready (and {@code /health}): Kafka Streams runs or rebalances, so the stores answer. Live: it has
     * not stopped for good (ERROR, or shut down): a service whose streams died is restarted, one that is only
     * starting or rebalancing is left alone.
     */
    private void health(HttpExchange ex, String probe) throws IOException {
        KafkaStreams.State s = state.get();
        boolean ok = probe.equals("live")
                ? s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR && s != KafkaStreams.State.NOT_RUNNING
                : s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
        HttpIo.json(ex, ok ? 200 : 503, new Views.Health(s.name()));
    }


    private static ApiError unknownIdentity(String id) {
        return ApiError.notFound("no identity \"" + id + "\" in the gallery; GET /identities lists who is enrolled");
    }

    private static void fail(HttpExchange ex, int status, String reason) throws IOException {
        if (status == 413) {
            // The rest of an oversized body may be unread: don't let the next request parse it.
            ex.getResponseHeaders().set("Connection", "close");
        }
        HttpIo.json(ex, status, new Views.Error(status, reason));
    }


    /** A short wait between two looks at a store that a write has yet to reach. */
    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the deletion to reach the store", e);
        }
    }
}
