package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import io.streamloader.testing.TestingKafka;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in a real browser: Debian's headless {@code chromium} driven through its {@code chromedriver} (Selenium,
 * no downloaded browser), against a real broker and the mongo sink (the distribution's plugin) writing to the devstack
 * MongoDB server. Events posted to the producer API move the overview's numbers; a poison event (refused by a unique
 * index) shows under dead letters with its reason; the cause is fixed (the index dropped); the letter is replayed from
 * the console and stored once, and replaying again sends nothing. The flows views show a posted vehicle, a thumbnail of
 * an uploaded PNG and a match row. Screenshots go to {@code
 * target/console-browser/}. Skipped, with a message, when chromium or chromedriver is not installed ({@code .ci/run}
 * installs them).
 */
class ConsoleBrowserIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    private static final Path SHOTS = Path.of("target", "console-browser").toAbsolutePath();

    @TempDir
    Path dir;

    private Platform platform;
    private WebDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void postEventsSeeThemMoveReplayAFixedPoisonEventFromTheConsoleAndSeeItStoredOnce() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "): apt-get install chromium chromium-driver (.ci/run does)");
        KafkaService kafka = DevStack.kafka();
        MongoService mongo = DevStack.mongo();
        String topic = "browser" + System.nanoTime();
        kafka.createTopic(topic, 1);
        kafka.createTopic(topic + ".dlq", 1);
        for (String flow : List.of("-fleet", "-images", "-foot")) {
            kafka.createTopic(topic + flow, 1);
        }
        platform = new Platform(Startup.validate(config(kafka, mongo, topic), Map.of())).start();
        String console = "http://127.0.0.1:" + platform.adminPort() + "/";
        Files.createDirectories(SHOTS);
        browser = chromium();

        browser.get(console);
        assertThat(browser.getTitle()).containsIgnoringCase("streamloader");
        for (int i = 0; i < 10; i++) {
            post(topic, "{\"email\":\"user" + i + "@example.org\",\"n\":" + i + "}");
        }
        // the overview, polled once a second, shows the API's and the sink's totals
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(cells("#api tbody tr")).anySatisfy(r -> {
                assertThat(r.get(0)).isEqualTo(topic);
                assertThat(r.get(2)).isEqualTo("10");
            });
            assertThat(cells("#sinks tbody tr"))
                    .anySatisfy(r -> assertThat(r.get(0)).isEqualTo("docs"))
                    .allSatisfy(r -> assertThat(r.get(7)).isEqualTo("10"));
        });
        shot("01-overview-events-written");

        // a poison event: the unique index on email refuses it, the sink dead-letters it with the store's reason
        post(topic, "{\"email\":\"user3@example.org\",\"n\":99}");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> new TestingKafka(kafka.bootstrapServers()).endTotal(topic + ".dlq") == 1);
        click("#nav-dead-letters");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !browser.findElements(By.cssSelector("#dlq-sink option"))
                        .isEmpty());
        click("#dlq-form button[type=submit]");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<List<String>> letters = cells("#dlq-letters tbody tr");
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).get(3)).contains("11000");
            assertThat(letters.get(0).get(4)).contains("\"n\":99");
        });
        assertThat(cells("#dlq-counts tbody tr")).hasSize(1);
        shot("02-dead-letter-with-reason");

        // fix the cause, then replay the reason from the console
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> docs = client.getDatabase("browser").getCollection(topic);
            docs.dropIndex("by_email");
            click("#dlq-counts tbody tr button");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(text("#dlq-result")).contains("\"replayed\": 1"));
            await().atMost(Duration.ofSeconds(60)).until(() -> docs.countDocuments(Filters.eq("n", 99)) == 1);
            shot("03-replayed");

            // replaying again sends nothing: the replay record knows the letter
            click("#dlq-counts tbody tr button");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(text("#dlq-result")).contains("\"alreadyReplayed\": 1"));
            assertThat(text("#dlq-result")).contains("\"replayed\": 0");
            click("#nav-overview");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(cells("#sinks tbody tr"))
                            .allSatisfy(r -> assertThat(r.get(7)).isEqualTo("11")));
            shot("04-overview-after-replay");
            assertThat(docs.countDocuments(Filters.eq("n", 99))).isEqualTo(1);
            assertThat(docs.countDocuments()).isEqualTo(11);
        }

        // the flows views, read from their topics: a vehicle, a thumbnail of an uploaded PNG, a match row
        post(
                topic + "-fleet",
                "application/x-www-form-urlencoded",
                ("timestamp=1700000000.5&make=Ford&model=Bronco"
                                + "&position_x=12.5&position_y=40.25&position_z=0&speed=87.5&vin=1FMEE5DH0NLA00001")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        post(
                topic + "-fleet",
                "application/x-www-form-urlencoded",
                ("timestamp=1700000000.7&make=Ford&model=Edge"
                                + "&position_x=30&position_y=10&position_z=0&speed=42&vin=1FMEE5DH0NLA00002")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        post(topic + "-images", "image/png", ConsoleIT.png());
        post(
                topic + "-foot",
                "application/json",
                ("[{\"id\":400001,\"utcDate\":\"2024-05-01T19:00:00Z\","
                                + "\"status\":\"FINISHED\",\"matchday\":33,\"competition\":{\"name\":\"Ligue 1\"},"
                                + "\"homeTeam\":{\"name\":\"OGC Nice\"},\"awayTeam\":{\"name\":\"RC Lens\"},"
                                + "\"score\":{\"winner\":\"HOME_TEAM\",\"fullTime\":{\"home\":2,\"away\":1}}}]")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        click("#nav-flows");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !browser.findElements(By.id("flow-tab-fleet")).isEmpty());
        click("#flow-tab-fleet");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cells("#flow-table tbody tr"))
                        .anySatisfy(r -> {
                            assertThat(r.get(0)).isEqualTo("1FMEE5DH0NLA00001");
                            assertThat(r.get(3)).isEqualTo("87.5");
                        })
                        .hasSize(2));
        assertThat(browser.findElements(By.cssSelector("svg.fleet circle"))).hasSize(2);
        shot("05-flows-fleet");
        click("#flow-tab-images");
        // the thumbnail is fetched with the key and shown from a blob: it has loaded when it has a natural width
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Boolean.TRUE.equals(((JavascriptExecutor) browser)
                        .executeScript("var i = document.querySelector('#flow-images img.thumb');"
                                + " return i !== null && i.complete && i.naturalWidth === 24;")));
        shot("06-flows-images");
        click("#flow-tab-matches");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cells("#flow-table tbody tr"))
                        .anySatisfy(r -> assertThat(r).containsSubsequence("OGC Nice", "2 : 1", "RC Lens")));
        shot("07-flows-matches");
        // the admin endpoint's CPU with the flows view open (it reads its topic every 3 s): measured, reported
        long flowsCpu = adminCpuNanos();
        long flowsStart = System.nanoTime();
        Thread.sleep(15_000); // a measurement window, not a wait for a condition
        String flowsLine = String.format(
                java.util.Locale.ROOT,
                "CONSOLE_ADMIN_CPU_FLOWS share_of_one_core=%.4f%n",
                (adminCpuNanos() - flowsCpu) / (double) (System.nanoTime() - flowsStart));
        System.out.print(flowsLine);
        Files.writeString(SHOTS.resolve("admin-cpu-flows.txt"), flowsLine);
        click("#nav-overview");

        // the admin endpoint's CPU while the console is open on the overview, polling once a second
        long cpu = adminCpuNanos();
        long start = System.nanoTime();
        Thread.sleep(30_000); // a measurement window with the page polling, not a wait for a condition
        double share = (adminCpuNanos() - cpu) / (double) (System.nanoTime() - start);
        String line = String.format(java.util.Locale.ROOT, "CONSOLE_ADMIN_CPU share_of_one_core=%.4f%n", share);
        System.out.print(line);
        Files.writeString(SHOTS.resolve("admin-cpu.txt"), line);
        assertThat(share).isLessThan(0.02);
    }

    private WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** The text of each cell of the rows {@code css} selects, read in one script (the page rebuilds its tables). */
    @SuppressWarnings("unchecked")
    private List<List<String>> cells(String css) {
        return (List<List<String>>) ((JavascriptExecutor) browser)
                .executeScript(
                        "return Array.from(document.querySelectorAll(arguments[0]))"
                                + ".map(r => Array.from(r.cells).map(c => c.textContent.trim()));",
                        css);
    }

    /**
     * CPU time of the admin endpoint's threads: the HTTP server's dispatcher and the carriers of its virtual threads
     * (nothing else in this JVM runs on virtual threads while the test only watches the console).
     */
    private static long adminCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null
                    && (info.getThreadName().startsWith("HTTP-Dispatcher")
                            || info.getThreadName().matches("ForkJoinPool-\\d+-worker-\\d+"))) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    private String text(String css) {
        // read in one script call: the page rebuilds its tables and results on every poll, so an element found in one
        // call may be gone in the next
        return String.valueOf(((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.querySelector(arguments[0]).innerText;", css));
    }

    /**
     * Clicks the element {@code css} names, finding it again when the page replaced it between finding and clicking (a
     * stale element was not clicked, so clicking again is not a double click).
     */
    private void click(String css) {
        await().atMost(Duration.ofSeconds(10))
                .ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
                .until(() -> {
                    browser.findElement(By.cssSelector(css)).click();
                    return true;
                });
    }

    private void shot(String name) throws IOException {
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(name + ".png"), png);
    }

    private void post(String topic, String json) throws Exception {
        post(topic, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void post(String topic, String type, byte[] body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + platform.apiPort() + "/topics/" + topic))
                                .header("Content-Type", type)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private Path config(KafkaService kafka, MongoService mongo, String topic) throws IOException {
        Path plugins = Path.of("target", "streamloader", "plugins").toAbsolutePath();
        assertThat(plugins.resolve("mongo"))
                .as("the distribution's mongo plugin; build with ./mvnw -B -pl launcher -am verify")
                .isDirectory();
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka: { bootstrap-servers: "%1$s" }
                topics:
                  %3$s: { partitions: 1 }
                  %3$s-fleet: { partitions: 1 }
                  %3$s-images: { partitions: 1 }
                  %3$s-foot: { partitions: 1 }
                plugins: { dir: %2$s }
                api: { host: 127.0.0.1, port: 0, topics: [%3$s, %3$s-fleet, %3$s-images, %3$s-foot] }
                console:
                  flows:
                    fleet: { topic: %3$s-fleet }
                    images: { topic: %3$s-images }
                    matches: { topic: %3$s-foot }
                admin: { host: 127.0.0.1, port: 0 }
                sinks:
                  docs:
                    type: mongo
                    topics: [%3$s]
                    config:
                      connection-string: "%4$s"
                      database: browser
                      indexes.by_email.keys: email:1
                      indexes.by_email.unique: true
                """.formatted(kafka.bootstrapServers(), plugins, topic, mongo.connectionString()));
        ConfigLoader.load(config, Map.of());
        return config;
    }
}
