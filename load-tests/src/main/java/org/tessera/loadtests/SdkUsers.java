package org.tessera.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.tessera.localstack.DemoClient;

/**
 * Simulated users of the client SDK against the real API: each submits a run of 1 to 500 slides, polls it every
 * {@code pollInterval} ({@code GET /v1/runs/{id}}, then one page of 100 items), downloads each succeeded item's
 * artifact once (the API's redirect, then the signed object-store URL), and when the run has ended submits the next. Every request is timed
 * by kind; a user that gets an unexpected answer records it as an error instead of stopping.
 */
final class SdkUsers implements AutoCloseable {

    static final String RUN_READ = "GET /v1/runs/{id}";
    static final String ITEM_PAGE = "GET /v1/runs/{id}/items (page of 100)";
    static final String SUBMIT = "POST /v1/runs";
    static final String DOWNLOAD = "GET /v1/runs/{id}/artifacts/{id}/file (307) + the signed object URL";

    /** Run sizes the users draw from: mostly small runs, some large ones, as the SDK's users submit them. */
    private static final int[] RUN_SIZES = {1, 1, 5, 10, 20, 50, 100, 200, 500};

    private final URI api;
    private final Supplier<String> token;
    private final Duration pollInterval;
    private final Latencies latencies;
    private final HttpClient http;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Map<UUID, Instant> firstSeenSucceeded = new ConcurrentHashMap<>();
    private final List<String> runIds = new CopyOnWriteArrayList<>();
    private final AtomicLong submittedSlides = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicLong errors = new AtomicLong();
    private final int maxRunSize;
    private volatile boolean running = true;

    SdkUsers(URI apiRoot, Supplier<String> token, Duration pollInterval, int maxRunSize, Latencies latencies) {
        String base = apiRoot.toString();
        this.api = URI.create((base.endsWith("/") ? base : base + "/") + "api/v1/");
        this.token = token;
        this.pollInterval = pollInterval;
        this.maxRunSize = maxRunSize;
        this.latencies = latencies;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Starts {@code users} users, their first submissions spread over one poll interval. */
    void start(int users, long seed) {
        for (int u = 0; u < users; u++) {
            long userSeed = seed * 1_000_003L + u;
            long delay = pollInterval.toMillis() * u / Math.max(1, users);
            threads.add(
                    Thread.ofVirtual().name("sdk-user-" + u).start(() -> user(new SplittableRandom(userSeed), delay)));
        }
    }

    private void user(SplittableRandom random, long delayMillis) {
        try {
            Thread.sleep(delayMillis);
            while (running) {
                int size = Math.min(maxRunSize, RUN_SIZES[random.nextInt(RUN_SIZES.length)]);
                String runId = submit(size, random.nextLong());
                if (runId == null) {
                    Thread.sleep(pollInterval);
                    continue;
                }
                follow(runId, size);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls the run until it has ended, reading a page of items each time and downloading new results. */
    private void follow(String runId, int size) throws InterruptedException {
        Set<String> downloaded = new HashSet<>();
        int pages = (size + 99) / 100;
        int page = 0;
        while (running) {
            Thread.sleep(pollInterval);
            JsonNode run = get(RUN_READ, "runs/" + runId);
            JsonNode items = get(ITEM_PAGE, "runs/" + runId + "/items?page=" + (page % pages + 1) + "&page_size=100");
            page++;
            if (items != null) {
                for (JsonNode item : items) {
                    if ("TERMINATED".equals(item.path("state").asText())
                            && "FULL".equals(item.path("output").asText())) {
                        Instant now = Instant.now();
                        firstSeenSucceeded.putIfAbsent(
                                UUID.fromString(item.path("item_id").asText()), now);
                        for (JsonNode artifact : item.path("output_artifacts")) {
                            String id = artifact.path("output_artifact_id").asText();
                            if (downloaded.add(id)) {
                                download(runId, id);
                            }
                        }
                    }
                }
            }
            if (run != null && "TERMINATED".equals(run.path("state").asText())) {
                return;
            }
        }
    }

    private String submit(int size, long salt) {
        byte[] body;
        try {
            body = DemoClient.json()
                    .writeValueAsBytes(OrchestratorBenchmark.runRequest("sdk-" + Long.toHexString(salt), size));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<byte[]> response = timed(
                SUBMIT,
                request("runs")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                201);
        if (response == null) {
            return null;
        }
        submittedSlides.addAndGet(size);
        String runId = read(response).path("run_id").asText();
        runIds.add(runId);
        return runId;
    }

    /** As the SDK downloads a result: the API redirects to a signed URL, fetched without the token. */
    private void download(String runId, String artifactId) {
        long start = System.nanoTime();
        HttpResponse<byte[]> redirect = untimed(
                request("runs/" + runId + "/artifacts/" + artifactId + "/file").GET());
        String location = redirect == null
                ? null
                : redirect.headers().firstValue("Location").orElse(null);
        if (redirect == null || redirect.statusCode() != 307 || location == null) {
            error(DOWNLOAD + ": the API answered " + (redirect == null ? "nothing" : redirect.statusCode())
                    + " without a redirect");
            return;
        }
        HttpResponse<byte[]> object = untimed(HttpRequest.newBuilder(URI.create(location))
                .timeout(Duration.ofSeconds(30))
                .GET());
        latencies.record(DOWNLOAD, (System.nanoTime() - start) / 1e6);
        if (object == null || object.statusCode() != 200) {
            error(DOWNLOAD + ": the object store answered " + (object == null ? "nothing" : object.statusCode()));
            return;
        }
        downloads.incrementAndGet();
    }

    private HttpResponse<byte[]> untimed(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            error(DOWNLOAD + " failed: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    JsonNode get(String kind, String path) {
        HttpResponse<byte[]> response = timed(kind, request(path).GET(), 200);
        return response == null ? null : read(response);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(api.resolve(path))
                .header("Authorization", "Bearer " + token.get())
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60));
    }

    private HttpResponse<byte[]> timed(String kind, HttpRequest.Builder request, int expected) {
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            latencies.record(kind, (System.nanoTime() - start) / 1e6);
            if (response.statusCode() != expected) {
                error(kind + " answered " + response.statusCode() + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
                return null;
            }
            return response;
        } catch (IOException e) {
            error(kind + " failed: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static JsonNode read(HttpResponse<byte[]> response) {
        try {
            return DemoClient.json().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("unreadable API answer: " + e, e);
        }
    }

    private void error(String message) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, message);
    }

    /** When a user first saw each item as succeeded. */
    Map<UUID, Instant> firstSeenSucceeded() {
        return firstSeenSucceeded;
    }

    /** Every run the users submitted. */
    List<String> runIds() {
        return runIds;
    }

    long submittedSlides() {
        return submittedSlides.get();
    }

    long downloads() {
        return downloads.get();
    }

    long errors() {
        return errors.get();
    }

    String firstError() {
        return firstError.get();
    }

    HttpClient http() {
        return http;
    }

    /** Stops every user and waits for them; a run a user follows is left as it is. */
    void stop() {
        running = false;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Latencies in milliseconds by kind of request, kept until {@link #drain}. */
    static final class Latencies {
        private final Map<String, DoubleList> byKind = new ConcurrentHashMap<>();

        void record(String kind, double millis) {
            byKind.computeIfAbsent(kind, k -> new DoubleList()).add(millis);
        }

        /** The latencies recorded since the last drain, sorted, by kind; and forgets them. */
        Map<String, double[]> drain() {
            Map<String, double[]> sorted = new java.util.TreeMap<>();
            byKind.forEach((kind, list) -> {
                double[] values = list.drain();
                Arrays.sort(values);
                sorted.put(kind, values);
            });
            return sorted;
        }
    }

    private static final class DoubleList {
        private double[] values = new double[1024];
        private int size;

        synchronized void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        synchronized double[] drain() {
            double[] out = Arrays.copyOf(values, size);
            size = 0;
            return out;
        }
    }
}
