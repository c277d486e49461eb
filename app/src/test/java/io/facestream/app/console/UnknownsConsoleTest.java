package io.facestream.app.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.app.SampleMedia;
import io.facestream.app.local.EmbeddedKafka;
import io.facestream.core.event.EnrolmentRequest;
import io.facestream.core.event.UnknownGroup;
import io.facestream.core.topic.Topics;
import io.facestream.gallery.GalleryOptions;
import io.facestream.gallery.GalleryService;
import io.facestream.gallery.auth.ApiToken;
import io.facestream.gallery.auth.ApiTokens;
import io.facestream.gallery.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's Unknown people page in a real browser (Debian's headless Chromium) against the gallery service on the
 * embedded broker, without the recognize job: the test writes two groups with real face crops (the sample picture's
 * men); the page lists them most recently seen first with every face shown, refuses a reserved identity id with the
 * service's sentence, names a group (its faces go on {@code enrolments}), deletes the other after the confirmation,
 * and shows a read-only token no Name or Delete button. Screenshots in {@code target/console-screenshots}.
 */
class UnknownsConsoleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ApiToken ADMIN = new ApiToken("console-admin", Role.ADMIN, ApiTokens.newSecret());
    private static final ApiToken READER = new ApiToken("console-reader", Role.READ, ApiTokens.newSecret());
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(600);

    @TempDir static Path dir;
    private static EmbeddedKafka kafka;
    private static GalleryService gallery;
    private static WebDriver browser;
    private static List<byte[]> faces;

    @BeforeAll
    static void start() throws Exception {
        for (Path p : List.of(ConsoleBrowserTest.CHROMIUM, ConsoleBrowserTest.CHROMEDRIVER)) {
            assertTrue(Files.isExecutable(p), p + " is missing: the console's browser tests need Debian's chromium and"
                    + " chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs them)");
        }
        Files.createDirectories(ConsoleBrowserTest.SHOTS);
        Path photos = SampleMedia.defaults().gallery();
        faces = new ArrayList<>();
        for (String who : List.of("picture-1", "picture-2", "picture-3")) {
            try (var files = Files.list(photos.resolve(who))) {
                faces.add(Files.readAllBytes(files.filter(f -> f.toString().endsWith(".jpg")).findFirst().orElseThrow()));
            }
        }
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopics(Topics.newTopics(1, (short) 1));
        gallery = GalleryService.start(GalleryOptions.defaults(kafka.bootstrapServers()).withHttpPort(0)
                .withStateDir(dir.resolve("state")).withTokens(List.of(ADMIN, READER)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (UnknownGroup g : List.of(
                    new UnknownGroup("unknown-1", T0, T0.plusSeconds(5), 2, List.of("door"), faces.subList(0, 2), "m"),
                    new UnknownGroup("unknown-2", T0, T0.plusSeconds(9), 1, List.of("yard"), faces.subList(2, 3), "m"))) {
                producer.send(new ProducerRecord<>(Topics.UNKNOWNS.name(), g.unknownId(),
                        Topics.UNKNOWNS.valueSerde().serializer().serialize(Topics.UNKNOWNS.name(), g))).get();
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(ConsoleBrowserTest.CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-GB");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(ConsoleBrowserTest.CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (gallery != null) {
            gallery.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void anOperatorSeesNamesAndDeletesUnknownPeople() throws Exception {
        signIn(ADMIN);
        browser.findElement(By.cssSelector("#nav a[data-page='unknowns']")).click();
        wait(WAIT).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".unknown-group"), 2));
        List<String> order = browser.findElements(By.cssSelector(".unknown-group")).stream()
                .map(e -> e.getAttribute("data-unknown")).toList();
        assertEquals(List.of("unknown-2", "unknown-1"), order, "the most recently seen first");
        WebElement one = browser.findElement(By.cssSelector(".unknown-group[data-unknown='unknown-1']"));
        assertTrue(one.getText().contains("2 track(s)") && one.getText().contains("door"), one.getText());
        wait(WAIT).until(d -> one.findElements(By.className("unknown-face")).stream()
                .allMatch(img -> naturalWidth(img) > 0));
        assertEquals(2, one.findElements(By.className("unknown-face")).size(), "a thumbnail per face");
        shot("unknowns");

        assertTrue(browser.findElements(By.className("unknown-naming")).stream().noneMatch(WebElement::isDisplayed),
                "the naming forms open on Name…");
        one.findElement(By.className("name")).click();
        assertTrue(one.findElement(By.className("unknown-naming")).isDisplayed());
        one.findElement(By.className("name-id")).sendKeys("unknown-7");
        one.findElement(By.cssSelector(".unknown-naming button[type=submit]")).click();
        wait(WAIT).until(ExpectedConditions.textToBePresentInElement(one.findElement(By.cssSelector("p.error")),
                "reserved for unknown groups"));
        one.findElement(By.className("name-id")).clear();
        one.findElement(By.className("name-id")).sendKeys("erin");
        one.findElement(By.className("name-display")).sendKeys("Erin at the door");
        one.findElement(By.cssSelector(".unknown-naming button[type=submit]")).click();
        wait(WAIT).until(d -> one.findElements(By.cssSelector(".results li")).size() == 2);
        assertTrue(one.findElement(By.className("results")).getText().contains("waiting for the recognize job"),
                "no job runs here, so each face waits: " + one.findElement(By.className("results")).getText());
        assertEquals("", one.findElement(By.cssSelector("p.error")).getText());
        assertTrue(!one.findElement(By.className("unknown-naming")).isDisplayed(), "the form closes once sent");
        shot("unknowns-named");
        List<EnrolmentRequest> requests = enrolmentsOf("erin", 2);
        for (int i = 0; i < 2; i++) {
            assertEquals("Erin at the door", requests.get(i).displayName());
            assertArrayEquals(faces.get(i), requests.get(i).image(), "face " + i + " of unknown-1");
        }

        WebElement two = browser.findElement(By.cssSelector(".unknown-group[data-unknown='unknown-2']"));
        two.findElement(By.className("delete")).click();
        wait(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
        assertTrue(browser.findElement(By.id("confirm-text")).getText().startsWith("Delete unknown-2?"));
        browser.findElement(By.id("confirm-ok")).click();
        wait(WAIT).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".unknown-group"), 1));
        assertEquals("unknown-1", browser.findElement(By.cssSelector(".unknown-group")).getAttribute("data-unknown"));

        browser.findElement(By.id("sign-out")).click();
        signIn(READER);
        browser.findElement(By.cssSelector("#nav a[data-page='unknowns']")).click();
        wait(WAIT).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".unknown-group"), 1));
        assertEquals(0, browser.findElements(By.cssSelector(".unknown-group .name, .unknown-group .delete")).size(),
                "a read-only token gets no Name or Delete");
    }

    private static List<EnrolmentRequest> enrolmentsOf(String identity, int n) {
        List<EnrolmentRequest> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "unknowns-console-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_FRAME_BYTES), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.ENROLMENTS.name()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (found.size() < n && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (identity.equals(r.key())) {
                        found.add(Topics.ENROLMENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    }
                });
            }
        }
        assertEquals(n, found.size(), "enrolment requests of " + identity);
        return found;
    }

    private static void signIn(ApiToken token) {
        browser.get(gallery.url().resolve("/console/").toString());
        WebElement field = wait(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token.secret());
        browser.findElement(By.id("signin")).click();
        wait(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    }

    private static long naturalWidth(WebElement img) {
        Object w = ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img);
        return w instanceof Number n ? n.longValue() : 0;
    }

    private static WebDriverWait wait(Duration d) {
        return new WebDriverWait(browser, d, Duration.ofMillis(200));
    }

    private static void shot(String name) throws Exception {
        Files.write(ConsoleBrowserTest.SHOTS.resolve(name + ".png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
