package io.facestream.gallery.auth;

import java.util.Locale;

/** What a token may do: {@link #READ} looks at faces, {@link #ADMIN} also enrols, renames, deletes and issues tokens. */
public enum Role {
    READ,
    ADMIN;

    /** True when this role may do what {@code needed} may. */
    public boolean allows(Role needed) {
        return this == ADMIN || needed == READ;
    }

    /** The role's name as written in token files and JSON: {@code read} or {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code read} or {@code admin} (any case); anything else is refused with the accepted values. */
    public static Role parse(String text) {
        if (text != null) {
            for (Role r : values()) {
                if (r.label().equalsIgnoreCase(text.strip())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("a token's role must be read or admin, was \"" + text + "\"");
    }
}
