package io.facestream.gallery.auth;

import java.util.regex.Pattern;

/**
 * One API token: a name people recognise in the audit log, a role, and the secret a client sends as
 * {@code Authorization: Bearer <secret>}. {@link #toString} never shows the secret.
 */
public record ApiToken(String name, Role role, String secret) {

    /** Short secrets can be guessed; the generated ones have 43 characters (256 random bits). */
    public static final int MIN_SECRET_CHARS = 16;
    public static final int MAX_SECRET_CHARS = 512;
    /** Token names go into the audit log and the console: letters, digits, {@code . _ - @}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    /** What a secret may hold: printable ASCII without spaces, so that it survives a header and a file line. */
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]+");

    public ApiToken {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a token name must be 1-64 letters, digits, '.', '_', '@' or '-',"
                    + " starting with a letter or digit, was \"" + name + "\"");
        }
        if (role == null) {
            throw new IllegalArgumentException("token " + name + " needs a role (read or admin), was null");
        }
        if (secret == null || secret.length() < MIN_SECRET_CHARS || secret.length() > MAX_SECRET_CHARS
                || !SECRET.matcher(secret).matches()) {
            // Say what is wrong without echoing any of the secret.
            throw new IllegalArgumentException("the secret of token " + name + " must be " + MIN_SECRET_CHARS + "-"
                    + MAX_SECRET_CHARS + " printable characters without spaces, had "
                    + (secret == null ? "none" : secret.length() + " characters"));
        }
    }

    @Override
    public String toString() {
        return "ApiToken[" + name + ", " + role.label() + "]";
    }
}
