package io.facestream.gallery.http;

import java.util.regex.Pattern;

/** The limits the API puts on its input, in one place. */
public final class ApiLimits {

    /** Identity ids are path segments and topic keys: letters, digits, {@code . _ -}, no colon (see below). */
    public static final int MAX_IDENTITY_ID_CHARS = 128;
    /**
     * Starts with a letter or digit; never holds {@code :} or {@code @}, which the sightings of unknown
     * faces ({@code unknown:<camera>:<track>}) and the visit keys use. A new enrolment may not begin with
     * {@code unknown-} either, the unknown groups' ids ({@code Params.enrollableId}).
     */
    public static final Pattern IDENTITY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_IDENTITY_ID_CHARS - 1) + "}");
    public static final int MAX_DISPLAY_NAME_CHARS = 200;
    /** MTCNN's smallest face (DESIGN: min face 20 px): a smaller image cannot hold one. */
    public static final int MIN_IMAGE_SIDE = 20;
    /** A 64-megapixel photo decodes to 200 MB of pixels in the recognize job; larger ones must be resized first. */
    public static final int MAX_IMAGE_SIDE = 8192;
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 500;
    public static final int DEFAULT_SIGHTINGS = 100;
    public static final int MAX_SIGHTINGS = 1000;
    /** Free-text query parameters (camera ids, identity filters). */
    public static final int MAX_PARAMETER_CHARS = 300;
    /** Request ids this instance remembers as pending until their result arrives. */
    public static final int MAX_TRACKED_REQUESTS = 10_000;
    /**
     * How much of a refused upload is read and thrown away so that the client can read the 413 answer;
     * past it the connection is closed.
     */
    public static final int MAX_DRAIN_BYTES = 32 * 1024 * 1024;

    private ApiLimits() {
    }
}
