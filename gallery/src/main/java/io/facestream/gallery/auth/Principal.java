package io.facestream.gallery.auth;

/** Who made a request: the name of the token it carried, and that token's role. */
public record Principal(String name, Role role) {

    public Principal {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a principal needs a name, was \"" + name + "\"");
        }
        if (role == null) {
            throw new IllegalArgumentException("principal " + name + " needs a role, was null");
        }
    }
}
