package io.facestream.gallery.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The enrolment requests this instance accepted, so that it can answer "pending" until their result is on
 * {@code enrolment-results}. Bounded: the oldest are forgotten first, by which time their result has long
 * arrived.
 */
final class IssuedRequests {

    private final Map<String, String> identityByRequest;

    IssuedRequests(int capacity) {
        this.identityByRequest = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void add(String requestId, String identityId) {
        identityByRequest.put(requestId, identityId);
    }

    synchronized void remove(String requestId) {
        identityByRequest.remove(requestId);
    }

    /** The identity the request enrols, null when this instance did not accept it (or forgot it). */
    synchronized String identityOf(String requestId) {
        return identityByRequest.get(requestId);
    }
}
