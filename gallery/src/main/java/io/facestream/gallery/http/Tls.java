package io.facestream.gallery.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * HTTPS for the gallery service: the key and certificate chain in a keystore (PKCS12, or JKS), opened with its
 * password. {@link #toString} never shows the password.
 *
 * @param keystore the keystore file
 * @param password the keystore's password (also the key's, as keytool makes them)
 */
public record Tls(Path keystore, String password) {

    public Tls {
        if (keystore == null) {
            throw new IllegalArgumentException("TLS needs a keystore file, was null");
        }
        if (password == null) {
            throw new IllegalArgumentException("TLS needs the keystore's password, was null");
        }
        keystore = keystore.toAbsolutePath();
    }

    /** A server context with the keystore's key; fails with a sentence when the file or the password is wrong. */
    public SSLContext serverContext() {
        if (!Files.isRegularFile(keystore)) {
            throw new IllegalArgumentException("the TLS keystore " + keystore + " does not exist; make one with e.g."
                    + " keytool -genkeypair -keyalg EC -alias gallery -storetype PKCS12 -keystore " + keystore);
        }
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance(keystore.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password.toCharArray());
            if (!ks.aliases().hasMoreElements()) {
                throw new IllegalArgumentException("the TLS keystore " + keystore + " holds no key");
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open the TLS keystore " + keystore + " (" + e.getMessage()
                    + "); check the file and its password", e);
        }
    }

    @Override
    public String toString() {
        return "Tls[" + keystore + "]";
    }
}
