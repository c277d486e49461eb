package io.facestream.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.facestream.app.SampleMedia;
import io.facestream.gallery.auth.ApiTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium, driven through its chromedriver) against a running
 * {@code facestream demo}: its own JVM with the broker, the recognize job, the gallery service and the sample video
 * looping. Signs in with the admin token given to the demo, sees the dancer named in the live view, deletes him
 * (the live view then calls him unknown), enrols his photo again through the page as someone else (the page says
 * which photo worked and why the other did not; the live view then names the new person), renames that person,
 * looks at the models and health pages, and checks that a read-only token gets no enrol or delete controls.
 * Screenshots of each page are kept in {@code target/console-screenshots}.
 */
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final Duration DEMO_START = Duration.ofMinutes(5);
    private static final Duration LIVE = Duration.ofSeconds(90);
    private static final String CAMERA = "video";

    @TempDir static Path dir;
    private static Process demo;
    private static int port;
    private static final String ADMIN = ApiTokens.newSecret();
    private static WebDriver browser;
    private static SampleMedia media;

    @BeforeAll
    static void startDemoAndBrowser() throws Exception {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertTrue(Files.isExecutable(p), p + " is missing: the console's browser tests need Debian's chromium and"
                    + " chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs them)");
        }
        Files.createDirectories(SHOTS);
        media = SampleMedia.defaults();
        media.gallery();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path tokenFile = dir.resolve("admin-token");
        Files.writeString(tokenFile, ADMIN + "\n");
        Path tmp = Path.of("target", "tmp").toAbsolutePath();
        Files.createDirectories(tmp);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g", "-Djava.io.tmpdir=" + tmp, "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), "io.facestream.app.Main",
                "demo", "--text", "--http-port", Integer.toString(port), "--admin-token-file", tokenFile.toString(),
                "--data-dir", dir.resolve("kafka").toString());
        pb.environment().putAll(Map.of("DJL_OFFLINE", "true", "MALLOC_MMAP_MAX_", "0",
                "MALLOC_TRIM_THRESHOLD_", "268435456", "OMP_WAIT_POLICY", "PASSIVE", "TORCH_CPP_LOG_LEVEL", "ERROR"));
        pb.redirectOutput(SHOTS.resolve("demo.out").toFile());
        pb.redirectError(SHOTS.resolve("demo.err").toFile());
        demo = pb.start();
        awaitDemoLog("ingest: camera " + CAMERA);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,1000", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.destroy(); // SIGTERM: the demo stops its job and broker and deletes its data, as on Ctrl-C
            if (!demo.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void anOperatorWatchesEnrolsRenamesAndDeletesThroughThePage() throws Exception {
        String admin = ADMIN;
        browser.get(base() + "/");
        assertTrue(browser.getCurrentUrl().endsWith("/console/"), "/ leads to the console: " + browser.getCurrentUrl());
        WebElement tokenField = wait(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        tokenField.sendKeys("not-the-token-at-all");
        browser.findElement(By.id("signin")).click();
        wait(Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("signin-error"),
                "not valid"));
        shot("signin");
        signIn(admin);

        // Live: the dancer of the sample video, named in a box over the frame.
        String label = wait(LIVE).until(d -> {
            List<WebElement> labels = d.findElements(
                    By.cssSelector(".camera[data-camera='" + CAMERA + "'] .box.known[data-identity='dancer'] .label"));
            return labels.isEmpty() || labels.get(0).getText().isEmpty() ? null : labels.get(0).getText();
        });
        assertTrue(label.startsWith("dancer "), "name, distance and track id over the face: " + label);
        Matcher m = Pattern.compile("dancer (\\d\\.\\d{3}) #(\\d+)").matcher(label);
        assertTrue(m.matches(), label);
        assertTrue(Double.parseDouble(m.group(1)) <= 1.196, "a match is within the threshold: " + label);
        WebElement frame = browser.findElement(By.cssSelector(".camera[data-camera='" + CAMERA + "'] .frame img"));
        assertTrue(naturalWidth(frame) > 0, "the frame's JPEG is shown");
        wait(LIVE).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#matches li.known")));
        browser.findElement(By.cssSelector("#matches li.known")).click();
        wait(Duration.ofSeconds(10)).until(d -> naturalWidth(d.findElement(By.id("detail-img"))) > 0);
        assertTrue(browser.findElement(By.id("detail-text")).getText().startsWith("dancer on " + CAMERA + ", frame "));
        shot("live");

        // Gallery: the sample gallery, each with its face; delete the dancer after the confirmation.
        open("gallery");
        WebElement dancer = wait(Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".identity[data-identity='dancer']")));
        wait(Duration.ofSeconds(20)).until(d -> naturalWidth(dancer.findElement(By.className("thumb"))) == 112);
        assertEquals(11, browser.findElements(By.cssSelector(".identity")).size(), "the sample gallery's 11 people");
        shot("gallery");
        dancer.findElement(By.className("delete")).click();
        wait(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertTrue(browser.findElement(By.id("confirm-text")).getText().startsWith("Delete dancer (dancer)?"));
        shot("gallery-delete");
        browser.findElement(By.id("confirm-ok")).click();
        wait(Duration.ofSeconds(30)).until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector(".identity[data-identity='dancer']"), 0));
        assertEquals(404, status("/identities/dancer"), "the service no longer has him");

        // Live: the same face, now unknown.
        open("live");
        wait(LIVE).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".camera[data-camera='" + CAMERA + "'] .box.unknown")));
        wait(LIVE).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".box[data-identity='dancer']"), 0));
        shot("live-after-delete");

        // Enrol his photo as someone else, with a group photo beside it: one result per photo.
        open("gallery");
        browser.findElement(By.id("enrol-id")).sendKeys("visitor");
        browser.findElement(By.id("enrol-name")).sendKeys("The Visitor");
        Path photo = media.gallery().resolve("dancer").resolve("video-frame-10.jpg");
        browser.findElement(By.id("enrol-files")).sendKeys(photo + "\n" + media.picture());
        browser.findElement(By.id("enrol-submit")).click();
        By ok = By.cssSelector("#enrol-results li.ok[data-file='video-frame-10.jpg'] .outcome");
        By refused = By.cssSelector("#enrol-results li.error[data-file='" + media.picture().getFileName() + "'] .outcome");
        wait(LIVE).until(ExpectedConditions.visibilityOfElementLocated(ok));
        wait(LIVE).until(ExpectedConditions.visibilityOfElementLocated(refused));
        assertEquals("enrolled", browser.findElement(ok).getText());
        assertTrue(browser.findElement(refused).getText().contains("4 faces found"), browser.findElement(refused).getText());
        WebElement visitor = wait(Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".identity[data-identity='visitor']")));
        assertEquals("The Visitor", visitor.findElement(By.tagName("h3")).getText());
        shot("gallery-enrol");

        open("live");
        // The face comes and goes as the clip loops, and the names are re-read every 3 s: wait as long as for
        // any live view, and look the box up afresh each time (a held element goes stale when the frame is redrawn).
        wait(LIVE).until(d -> label(d).startsWith("The Visitor "));

        // Rename: the new name in the gallery and, once the live view has re-read the names, over the face.
        open("gallery");
        WebElement card = wait(Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".identity[data-identity='visitor']")));
        WebElement input = card.findElement(By.className("rename-input"));
        input.clear();
        input.sendKeys("Ada Visitor");
        card.findElement(By.className("rename")).click();
        wait(Duration.ofSeconds(30)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".identity[data-identity='visitor'] h3"), "Ada Visitor"));
        open("live");
        wait(LIVE).until(d -> label(d).startsWith("Ada Visitor "));
        shot("live-enrolled");

        open("models");
        wait(LIVE).until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-model"), "mobilefacenet-192"));
        shot("models");

        open("health");
        WebElement camera = wait(Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#health-cameras tr[data-camera='" + CAMERA + "']")));
        double fps = Double.parseDouble(camera.findElements(By.tagName("td")).get(1).getText());
        assertTrue(fps > 0 && fps <= 10, "the looped sample plays at up to 8 frames/s: " + fps);
        wait(Duration.ofSeconds(20)).until(ExpectedConditions.textMatches(By.id("health-latency"),
                Pattern.compile("p50 \\d+(\\.\\d)? ms .*")));
        assertEquals("0", browser.findElement(By.id("health-dlq")).getText());
        shot("health");

        // A read-only token: the same pages, without the controls that change the gallery.
        String reader = issueReadOnlyToken(admin);
        browser.findElement(By.id("sign-out")).click();
        signIn(reader);
        open("gallery");
        wait(Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".identity[data-identity='visitor']")));
        assertFalse(browser.findElement(By.id("enrol-form")).isDisplayed(), "no enrol form for a read-only token");
        assertEquals(0, browser.findElements(By.cssSelector(".identity .delete")).size(), "no delete buttons");
        shot("gallery-read-only");
        assertFalse(demoLog().contains(admin) || demoLog().contains(reader), "no token in the demo's output");
    }

    private static String label(WebDriver d) {
        List<WebElement> boxes = d.findElements(By.cssSelector(".camera[data-camera='" + CAMERA
                + "'] .box.known[data-identity='visitor'] .label"));
        try {
            return boxes.isEmpty() ? "" : boxes.get(0).getText();
        } catch (StaleElementReferenceException e) {
            return ""; // redrawn in between: the wait asks again
        }
    }

    private static void signIn(String token) {
        WebElement field = wait(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token);
        browser.findElement(By.id("signin")).click();
        wait(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    private static void open(String page) {
        browser.findElement(By.cssSelector("#nav a[data-page='" + page + "']")).click();
        wait(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.id("page-" + page)));
    }

    private static long naturalWidth(WebElement img) {
        Object w = ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img);
        return w instanceof Number n ? n.longValue() : 0;
    }

    private static WebDriverWait wait(Duration d) {
        // The live page redraws its boxes with every frame: an element found a moment ago may be gone; look again.
        WebDriverWait w = new WebDriverWait(browser, d, Duration.ofMillis(200));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    private static void shot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + ".png"), png);
    }

    private static String base() {
        return "http://127.0.0.1:" + port;
    }

    private static int status(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String issueReadOnlyToken(String admin) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base() + "/tokens?name=wall-screen&role=read")).header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }

    private static String demoLog() throws IOException {
        return Files.readString(SHOTS.resolve("demo.err")) + Files.readString(SHOTS.resolve("demo.out"));
    }

    /** Waits for a line of the demo's progress on stderr; fails at once if the demo exits. */
    private static void awaitDemoLog(String text) throws Exception {
        long deadline = System.nanoTime() + DEMO_START.toNanos();
        while (!demoLog().contains(text)) {
            if (!demo.isAlive()) {
                fail("the demo exited (" + demo.exitValue() + ") before \"" + text + "\":\n" + demoLog());
            }
            if (System.nanoTime() > deadline) {
                fail("the demo did not print \"" + text + "\" within " + DEMO_START + ":\n" + demoLog());
            }
            Thread.sleep(250);
        }
    }
}
