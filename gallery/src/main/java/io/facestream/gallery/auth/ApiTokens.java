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

    /** A token held: the digest of its secret, who it is, and whether it was issued (and is kept in the store). */
    private record Held(byte[] digest, Principal principal, boolean issued) {
    }

    private final List<Held> held = new CopyOnWriteArrayList<>();
    /** Where issued tokens are kept across restarts; null: they live until the service stops. */
    private final IssuedTokens store;

    private ApiTokens(IssuedTokens store) {
        this.store = store;
    }

    /** The tokens given; two with the same name or the same secret are refused. Issued tokens die with the service. */
    public static ApiTokens of(List<ApiToken> tokens) {
        return of(tokens, null);
    }

    /**
     * The tokens given and those kept in {@code store} (null: none), which also keeps the tokens issued from now on;
     * two with the same name or the same secret are refused.
     */
    public static ApiTokens of(List<ApiToken> tokens, IssuedTokens store) {
        ApiTokens t = new ApiTokens(store);
        tokens.forEach(t::add);
        if (store != null) {
            for (IssuedTokens.Entry e : store.read()) {
                t.hold(new Held(e.digest(), new Principal(e.name(), e.role()), true));
            }
        }
        return t;
    }

    /** Adds a token; its name and secret must be new. */
    public void add(ApiToken token) {
        hold(new Held(sha256(token.secret()), new Principal(token.name(), token.role()), false));
    }

    private synchronized void hold(Held token) {
        String name = token.principal().name();
        for (Held h : held) {
            if (h.principal().name().equals(name)) {
                throw new IllegalArgumentException("two tokens are named " + name + "; give each its own name");
            }
            if (MessageDigest.isEqual(h.digest(), token.digest())) {
                throw new IllegalArgumentException("tokens " + h.principal().name() + " and " + name
                        + " have the same secret; give each its own");
            }
        }
        held.add(token);
    }

    /**
     * Makes a new random token with this name and role, keeps its digest in the store (when there is one) before
     * accepting it, and returns it (the only copy of the secret).
     */
    public synchronized ApiToken issue(String name, Role role) {
        ApiToken token = new ApiToken(name, role, newSecret());
        Held h = new Held(sha256(token.secret()), new Principal(name, role), true);
        if (store != null) {
            List<IssuedTokens.Entry> kept = new ArrayList<>(issuedEntries());
            kept.add(new IssuedTokens.Entry(name, role, h.digest()));
            if (held.stream().anyMatch(o -> o.principal().name().equals(name))) {
                throw new IllegalArgumentException("two tokens are named " + name + "; give each its own name");
            }
            store.write(kept);
        }
        hold(h);
        return token;
    }

    /**
     * Stops accepting an issued token and removes it from the store. A token given by the options or a token file
     * cannot be revoked here: it would come back at the next start.
     *
     * @return false when no token has this name
     * @throws IllegalArgumentException for a token that was not issued
     */
    public synchronized boolean revoke(String name) {
        Held h = held.stream().filter(o -> o.principal().name().equals(name)).findFirst().orElse(null);
        if (h == null) {
            return false;
        }
        if (!h.issued()) {
            throw new IllegalArgumentException("token " + name + " comes from the service's options or token file, not"
                    + " from POST /tokens; remove it there and restart the service");
        }
        held.remove(h);
        if (store != null) {
            store.write(issuedEntries());
        }
        return true;
    }

    /** Whether the token of this name was issued through {@link #issue} (and so may be revoked). */
    public boolean issued(String name) {
        return held.stream().anyMatch(o -> o.issued() && o.principal().name().equals(name));
    }

    /** Where issued tokens are kept, empty when they die with the service. */
    public Optional<IssuedTokens> store() {
        return Optional.ofNullable(store);
    }

    private List<IssuedTokens.Entry> issuedEntries() {
        return held.stream().filter(Held::issued)
                .map(o -> new IssuedTokens.Entry(o.principal().name(), o.principal().role(), o.digest())).toList();
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
