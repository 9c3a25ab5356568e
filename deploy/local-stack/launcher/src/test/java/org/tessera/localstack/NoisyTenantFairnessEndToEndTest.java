package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fairness bound of docs/architecture.md ("Stuck items and slow downloads") on the real stack with one worker: an
 * organization whose run consists of slides that stall after their headers must not hold back another organization's
 * one-slide run by more than {@code ceil(M / W)} item bounds. With {@code max-in-flight} M = 2 and one worker, the
 * other organization's slide is dispatched as soon as the first stalled slide frees its place, so at most
 * {@code ceil(M / W) + 1} = 3 of the noisy run's slides may end before it (the one on the worker, the one queued on Kafka
 * behind it, and one dispatched while the quiet slide waits on Kafka); without the fair line it would wait for all six.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoisyTenantFairnessEndToEndTest {

    private static final int NOISY_SLIDES = 6;
    private static final int MAX_IN_FLIGHT = 2;
    /** ceil(M / W) + 1 with one worker. */
    private static final int BOUND = MAX_IN_FLIGHT + 1;

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final Set<String> TERMINAL = Set.of("TERMINATED");

    private LocalStack stack;
    private StallingServer stallingHost;
    private Path work;

    @BeforeAll
    void startStack() throws IOException {
        Path root = EndToEnd.projectRoot();
        Path stateDir = root.resolve("deploy/local-stack/launcher/target/e2e-fairness-stack");
        work = stateDir.resolve("work");
        Files.createDirectories(work);
        stack = LocalStack.start(StackOptions.defaults(root, stateDir)
                .withStartTimeout(Duration.ofMinutes(3))
                .withOrchestratorConfig(Map.of("tessera.scheduler.max-in-flight", Integer.toString(MAX_IN_FLIGHT)))
                .withWorkerConfig(Map.of("tessera.worker.fetch.idle-timeout", IDLE_TIMEOUT.toString())));
        stallingHost = StallingServer.start(Duration.ofMinutes(5));
    }

    @AfterAll
    void stopStack() {
        if (stallingHost != null) {
            stallingHost.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anotherOrganizationsSlideIsNotHeldBackByARunOfStalledSlides() throws Exception {
        Seed.Organization noisyOrganization = stack.seed().primary();
        Seed.Organization quietOrganization = stack.seed().organizations().get(1);
        assertThat(quietOrganization.id()).isNotEqualTo(noisyOrganization.id());
        DemoClient noisy = new DemoClient(stack.apiUrl(), () -> stack.token(noisyOrganization.member()));
        DemoClient quiet = new DemoClient(stack.apiUrl(), () -> stack.token(quietOrganization.member()));

        List<SlideSet.Spec> specs = new ArrayList<>();
        for (int i = 1; i <= NOISY_SLIDES; i++) {
            specs.add(SlideSet.Spec.good("stalled-" + i, 512, 512, 0.5));
        }
        SlideSet stalled = SlideSet.generate(work.resolve("noisy"), specs, 31L)
                .upload(
                        noisy,
                        (method, key, ttl) ->
                                method.equals("PUT") ? stack.objectStore().presignPut(key, ttl) : stallingHost.url(key),
                        "uploads/" + noisyOrganization.id() + "/" + UUID.randomUUID());
        String noisyRun = noisy.submitRun(stalled.runRequest(Demo.APPLICATION, null));
        // Both places are taken by stalled slides before the other organization submits.
        await().atMost(Duration.ofMinutes(2)).until(() -> stallingHost.downloadsStarted() >= 1);

        SlideSet one = SlideSet.generate(
                        work.resolve("quiet"), List.of(SlideSet.Spec.good("quiet-1", 1024, 768, 0.5)), 32L)
                .upload(
                        quiet,
                        (method, key, ttl) -> method.equals("PUT")
                                ? stack.objectStore().presignPut(key, ttl)
                                : stack.objectStore().presignGet(key, ttl),
                        "uploads/" + quietOrganization.id() + "/" + UUID.randomUUID());
        String quietRun = quiet.submitRun(one.runRequest(Demo.APPLICATION, null));

        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> TERMINAL.contains(
                        quiet.items(quietRun).getFirst().path("state").asText()));
        List<JsonNode> noisyItems = noisy.items(noisyRun);
        long noisyEnded = noisyItems.stream()
                .filter(item -> TERMINAL.contains(item.path("state").asText()))
                .count();

        JsonNode quietItem = quiet.items(quietRun).getFirst();
        assertThat(quietItem.path("termination_reason").asText())
                .as(quietItem.toString())
                .isEqualTo("SUCCEEDED");
        assertThat(noisyEnded)
                .as("stalled slides of the other organization that ended before the quiet slide: %s", noisyItems)
                .isLessThanOrEqualTo(BOUND);
        // The stalled slides end as the user's problem, with their own code, and the worker moved on.
        assertThat(noisyItems.stream()
                        .filter(item -> TERMINAL.contains(item.path("state").asText()))
                        .map(item -> item.path("error_code").asText()))
                .isNotEmpty()
                .allMatch("INPUT_URL_TOO_SLOW"::equals);
        noisy.cancel(noisyRun);
    }

    /**
     * A slide host that sends the headers of every download and its first kilobyte, then nothing more until it is
     * closed (or {@code maxHold} passed): the slow storage the worker's idle timeout exists for.
     */
    private static final class StallingServer implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        private final CountDownLatch closed = new CountDownLatch(1);
        private final Duration maxHold;
        private final AtomicInteger started = new AtomicInteger();

        private StallingServer(Duration maxHold) throws IOException {
            this.maxHold = maxHold;
            this.server = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK_HOST, 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(handlers);
        }

        static StallingServer start(Duration maxHold) throws IOException {
            StallingServer stalling = new StallingServer(maxHold);
            stalling.server.start();
            return stalling;
        }

        URI url(String key) {
            return URI.create(
                    "http://" + Ports.LOOPBACK_HOST + ":" + server.getAddress().getPort() + "/" + key);
        }

        int downloadsStarted() {
            return started.get();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                exchange.sendResponseHeaders(200, 50L << 20);
                OutputStream out = exchange.getResponseBody();
                out.write(new byte[1024]);
                out.flush();
                started.incrementAndGet();
                closed.await(maxHold.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The worker gave up on the download: what this server is for.
            }
        }

        @Override
        public void close() {
            closed.countDown();
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
