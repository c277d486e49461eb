package io.facestream.gallery.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The file that keeps the tokens issued while the service runs ({@code POST /tokens}), so that they outlive a
 * restart: one line per token, {@code NAME ROLE SHA256-HEX}, the digest of the secret and never the secret, so the
 * file lets nobody in who reads it. Written whole to a temporary file and moved over the old one (a crash leaves the
 * old file or the new one, never half of one), readable by its owner only where the file system has permissions.
 */
public final class IssuedTokens {

    /** One issued token as kept: name, role and the SHA-256 of its secret. */
    public record Entry(String name, Role role, byte[] digest) {
    }

    private static final String HEADER = "# facestream API tokens issued through POST /tokens: NAME ROLE SHA-256 of the"
            + " secret (the secrets are not kept). Revoke one with DELETE /tokens/NAME.";

    private final Path file;

    public IssuedTokens(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /** The tokens in the file; none when it does not exist yet. A damaged line is refused with its number. */
    public List<Entry> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the issued tokens in " + file + ": " + e.getMessage(), e);
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] p = line.split("\\s+");
            try {
                if (p.length != 3 || !ApiToken.NAME.matcher(p[0]).matches() || !p[2].matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("expected NAME ROLE SHA256-HEX (64 hex digits)");
                }
                out.add(new Entry(p[0], Role.parse(p[1]), HexFormat.of().parseHex(p[2])));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(file + " line " + (i + 1) + ": " + e.getMessage()
                        + "; mend or remove the line (a token removed from it is revoked)", e);
            }
        }
        return out;
    }

    /** Replaces the file's content with these tokens. */
    public void write(List<Entry> entries) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) {
            text.append(e.name()).append(' ').append(e.role().label()).append(' ')
                    .append(HexFormat.of().formatHex(e.digest())).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            createPrivate(tmp);
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not write the issued tokens to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createPrivate(Path p) throws IOException {
        try {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(p); // no POSIX permissions on this file system
        } catch (FileAlreadyExistsException e) {
            // made by a concurrent write: it is overwritten below
        }
    }
}
