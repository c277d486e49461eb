package io.facestream.app;

import io.facestream.gallery.GalleryService;
import io.facestream.gallery.auth.ApiToken;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.auth.Role;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The API tokens of a command that runs the gallery service: an admin token from a file or the environment (what a
 * deployment sets), more tokens from a token file, or, with neither, one admin token made at start and printed once.
 */
final class TokenMixin {

    /** The environment variable that may hold the admin token (a Kubernetes or compose secret). */
    static final String ADMIN_TOKEN_ENV = "FACESTREAM_ADMIN_TOKEN";

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "File holding the admin API token (its content, one line). Without it and without "
                + ADMIN_TOKEN_ENV + " in the environment, an admin token is made at start and printed once.")
    Path adminTokenFile;

    @Option(names = "--tokens-file", paramLabel = "FILE",
            description = "More API tokens, one a line: NAME ROLE SECRET (ROLE read or admin; # starts a comment).")
    Path tokensFile;

    /** The tokens the options and the environment give; empty means the service makes an admin token. */
    List<ApiToken> tokens() {
        List<ApiToken> out = new ArrayList<>();
        String admin = adminTokenFile != null ? ApiTokens.readSecret(adminTokenFile) : System.getenv(ADMIN_TOKEN_ENV);
        if (admin != null && !admin.isBlank()) {
            try {
                out.add(new ApiToken(GalleryService.GENERATED_ADMIN, Role.ADMIN, admin.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException((adminTokenFile != null ? "--admin-token-file " + adminTokenFile
                        : ADMIN_TOKEN_ENV) + ": " + e.getMessage(), e);
            }
        }
        if (tokensFile != null) {
            out.addAll(ApiTokens.read(tokensFile));
        }
        return out;
    }

    /** Prints the token the service made, once, or where the tokens came from. */
    static void announce(GalleryService service, PrintStream out, String prefix) {
        service.generatedAdminToken().ifPresentOrElse(
                t -> out.println(prefix + "admin API token (shown this once; send it as Authorization: Bearer TOKEN,"
                        + " or sign in to the console with it): " + t.secret()),
                () -> out.println(prefix + service.tokens().principals().size() + " API token(s) from the options"));
        out.println(prefix + "console at " + service.url() + "/console/ ; audit log in " + service.auditLog());
    }
}
