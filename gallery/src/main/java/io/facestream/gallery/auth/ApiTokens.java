package io.facestream.gallery.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tokens the API accepts. Only their SHA-256 digests are held; a presented token is hashed and compared
 * with every digest by {@link MessageDigest#isEqual} (constant time), and the loop never stops early, so the
 * time an answer takes says nothing about how close a guess came.
 */
public final class ApiTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 random bytes: a token nobody guesses. */
    private static final int SECRET_BYTES = 32;

    private record Held(byte[] digest, Principal principal) {
    }

    private final List<Held> held = new CopyOnWriteArrayList<>();

    private ApiTokens() {
    }

    /** The tokens given; two with the same name or the same secret are refused. */
    public static ApiTokens of(List<ApiToken> tokens) {
        ApiTokens t = new ApiTokens();
        tokens.forEach(t::add);
        return t;
    }

    /** Adds a token; its name and secret must be new. */
    public void add(ApiToken token) {
        byte[] digest = sha256(token.secret());
        for (Held h : held) {
            if (h.principal().name().equals(token.name())) {
                throw new IllegalArgumentException("two tokens are named " + token.name() + "; give each its own name");
            }
            if (MessageDigest.isEqual(h.digest(), digest)) {
                throw new IllegalArgumentException("tokens " + h.principal().name() + " and " + token.name()
                        + " have the same secret; give each its own");
            }
        }
        held.add(new Held(digest, new Principal(token.name(), token.role())));
    }

    /** Makes a new random token with this name and role, accepts it from now on, and returns it (the only copy). */
    public ApiToken issue(String name, Role role) {
        ApiToken token = new ApiToken(name, role, newSecret());
        add(token);
        return token;
    }

    /** Who the presented secret belongs to; empty for a missing or unknown one. */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > ApiToken.MAX_SECRET_CHARS) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Principal found = null;
        for (Held h : held) {
            if (MessageDigest.isEqual(h.digest(), digest) && found == null) {
                found = h.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The names and roles of the tokens held (never their secrets). */
    public List<Principal> principals() {
        return held.stream().map(Held::principal).toList();
    }

    public boolean isEmpty() {
        return held.isEmpty();
    }

    /** A fresh random secret: 32 bytes from {@link SecureRandom}, base64url without padding (43 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Reads a token file: one token a line, {@code NAME ROLE SECRET} separated by spaces ({@code ROLE} is
     * {@code read} or {@code admin}); blank lines and lines starting with {@code #} are skipped. A bad line
     * is refused with its number, never with its secret.
     */
    public static List<ApiToken> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
        List<ApiToken> tokens = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected NAME ROLE SECRET (3 fields"
                        + " separated by spaces), found " + parts.length + " field(s)");
            }
            try {
                tokens.add(new ApiToken(parts[0], Role.parse(parts[1]), parts[2]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return tokens;
    }

    /**
     * A secret kept alone in a file (what a Kubernetes Secret or a compose secret mounts): its content
     * without the trailing line break.
     */
    public static String readSecret(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token in " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
