package io.facestream.gallery.http;

import com.sun.net.httpserver.HttpExchange;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.GalleryEntry;
import io.facestream.core.event.UnknownGroup;
import io.facestream.gallery.auth.AuditLog;
import io.facestream.gallery.stream.GalleryStores;
import io.facestream.gallery.stream.GalleryWriter;
import io.facestream.gallery.stream.UnknownOrder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of the unknown groups the recognize job makes:
 *
 * <pre>
 * GET    /unknowns?limit=&amp;after=     a page of groups, the most recently seen first
 * GET    /unknowns/{id}                first / last seen, tracks, cameras, faces, visits
 * GET    /unknowns/{id}/faces/{n}      the n-th face (JPEG, the face with a margin), from 0
 * POST   /unknowns/{id}/name           {"identity_id": ..., "display_name": ...} → 202, an enrolment request
 *                                      per face
 * DELETE /unknowns/{id}                tombstones on unknowns and sightings
 * </pre>
 *
 * Naming a group enrols the person from the group's faces along the path of an uploaded photo: each face is one
 * request on {@code enrolments}, which the recognize job detects, aligns and embeds, answering each on
 * {@code enrolment-results} (a face in which it finds no face, or two, gets an error result and adds nothing).
 * The group itself stays until it is deleted, so that a naming whose faces all failed can be retried.
 */
final class UnknownsApi {

    private static final Logger LOG = LoggerFactory.getLogger(UnknownsApi.class);
    /** The first path segment of these routes. */
    static final String ROUTE = "unknowns";
    /** A naming body is two short strings; anything larger is not one. */
    static final int MAX_NAMING_BYTES = 16 * 1024;

    private final GalleryStores stores;
    private final GalleryWriter writer;
    private final AuditLog audit;
    private final IssuedRequests issued;

    UnknownsApi(GalleryStores stores, GalleryWriter writer, AuditLog audit, IssuedRequests issued) {
        this.stores = stores;
        this.writer = writer;
        this.audit = audit;
        this.issued = issued;
    }

    /** Answers a request under {@code /unknowns}; false when no route here has the path. */
    boolean route(HttpExchange ex, String method, List<String> path) throws IOException {
        if (path.size() == 1) {
            Params.allow(method, "GET");
            list(ex);
        } else if (path.size() == 2) {
            Params.allow(method, "GET", "DELETE");
            if (method.equals("GET")) {
                get(ex, path.get(1));
            } else {
                delete(ex, path.get(1));
            }
        } else if (path.size() == 3 && path.get(2).equals("name")) {
            Params.allow(method, "POST");
            name(ex, path.get(1));
        } else if (path.size() == 4 && path.get(2).equals("faces")) {
            Params.allow(method, "GET");
            face(ex, path.get(1), path.get(3));
        } else {
            return false;
        }
        return true;
    }

    private void list(HttpExchange ex) throws IOException {
        Map<String, String> q = HttpIo.query(ex, Set.of("limit", "after"), "GET /unknowns");
        int limit = Params.intParameter(q, "limit", ApiLimits.DEFAULT_PAGE_SIZE, ApiLimits.MAX_PAGE_SIZE);
        String rawAfter = Params.text(q, "after");
        UnknownOrder.Position after;
        try {
            after = rawAfter == null ? null : UnknownOrder.Position.parse(rawAfter);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        List<UnknownGroup> groups = stores.unknowns(after, limit + 1);
        boolean more = groups.size() > limit;
        List<UnknownGroup> shown = more ? groups.subList(0, limit) : groups;
        List<Views.Unknown> page = shown.stream().map(g -> Views.Unknown.of(g, stores.visits(g))).toList();
        HttpIo.json(ex, 200, new Views.UnknownPage(page,
                more ? UnknownOrder.Position.of(shown.get(shown.size() - 1)).toString() : null));
    }

    private void get(HttpExchange ex, String rawId) throws IOException {
        HttpIo.query(ex, Set.of(), "GET /unknowns/{id}");
        UnknownGroup g = group(rawId);
        HttpIo.json(ex, 200, Views.Unknown.of(g, stores.visits(g)));
    }

    private void face(HttpExchange ex, String rawId, String rawIndex) throws IOException {
        HttpIo.query(ex, Set.of(), "GET /unknowns/{id}/faces/{n}");
        UnknownGroup g = group(rawId);
        List<byte[]> faces = g.faces();
        HttpIo.image(ex, faces.get(Params.faceIndex(g.unknownId(), rawIndex, faces.size())), "image/jpeg");
    }

    private void name(HttpExchange ex, String rawId) throws IOException {
        HttpIo.query(ex, Set.of(), "POST /unknowns/{id}/name");
        byte[] body;
        try {
            body = HttpIo.body(ex, MAX_NAMING_BYTES);
        } catch (ApiError e) {
            if (e.status() != 413) {
                throw e;
            }
            throw new ApiError(413, "the body is larger than " + MAX_NAMING_BYTES + " bytes; send only "
                    + NamingRequest.EXAMPLE);
        }
        UnknownGroup g = group(rawId);
        NamingRequest naming = NamingRequest.parse(body);
        String id = naming.identityId();
        GalleryEntry existing = stores.entry(id).orElse(null);
        if (existing != null) {
            // Adding a stranger's faces to an enrolled person by a typo would make the stream name the stranger as
            // them; adding faces to someone enrolled is an upload's job, one photo at a time.
            throw ApiError.conflict("identity \"" + id + "\" is enrolled already (\"" + existing.displayName()
                    + "\"); name " + g.unknownId() + " with an identity id that is not in the gallery, or, if the group"
                    + " is that person, add its faces to them with POST /identities/" + id + "/faces");
        }
        List<byte[]> faces = g.faces();
        List<Views.Enrolment> requests = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            String requestId = UUID.randomUUID().toString();
            audit.record(AccessControl.principal(ex), AuditLog.Action.ENROL, id, naming.displayName(), requestId,
                    "face " + i + " of " + faces.size() + " of " + g.unknownId());
            issued.add(requestId, id);
            try {
                writer.enrol(new EnrolmentRequest(requestId, id, naming.displayName(), faces.get(i)));
            } catch (RuntimeException e) {
                issued.remove(requestId);
                throw new IllegalStateException(requests.size() + " of the " + faces.size() + " faces of "
                        + g.unknownId() + " were sent for enrolment before a write failed (" + e.getMessage()
                        + "); naming it again sends every face again", e);
            }
            requests.add(Views.Enrolment.pending(requestId, id));
        }
        LOG.info("Unknown group {} named {}: {} enrolment request(s)", g.unknownId(), id, requests.size());
        ex.getResponseHeaders().set("Location", "/enrolments/" + requests.get(0).requestId());
        HttpIo.json(ex, 202, new Views.Naming(g.unknownId(), id, naming.displayName(), requests));
    }

    private void delete(HttpExchange ex, String rawId) throws IOException {
        HttpIo.query(ex, Set.of(), "DELETE /unknowns/{id}");
        String id = group(rawId).unknownId();
        audit.record(AccessControl.principal(ex), AuditLog.Action.DELETE, id, null, null, "unknown group");
        writer.deleteUnknown(id);
        LOG.info("Unknown group {} deleted (tombstones on the unknowns and sightings topics)", id);
        long deadline = System.nanoTime() + GalleryApi.DELETE_VISIBLE_TIMEOUT.toNanos();
        while (stores.unknown(id).isPresent()) {
            if (System.nanoTime() > deadline) {
                HttpIo.json(ex, 202, Views.UnknownDeletion.of(id, "deleting"));
                return;
            }
            GalleryApi.pause();
        }
        HttpIo.json(ex, 200, Views.UnknownDeletion.of(id, "deleted"));
    }

    private UnknownGroup group(String rawId) {
        String id;
        try {
            id = UnknownGroup.checkId(rawId);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(Params.abbreviate(rawId) + " is not an unknown group's id: they are \""
                    + UnknownGroup.PREFIX + "<n>\" with n >= 1, as GET /unknowns lists them");
        }
        return stores.unknown(id).orElseThrow(() -> ApiError.notFound("no unknown group \"" + id + "\" (or it was deleted);"
                + " GET /unknowns lists the groups"));
    }
}
