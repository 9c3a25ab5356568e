package org.tessera.orchestrator.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.bytes.BlockCache;
import org.tessera.bytes.HttpRangeByteSource;
import org.tessera.bytes.SignedUrlExpiry;
import org.tessera.objectstore.ObjectStore;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;
import org.tessera.viewer.ViewerException;
import org.tessera.viewer.ViewerOutput;
import org.tessera.viewer.ViewerSession;

/**
 * The items being viewed: each slide opened once through its signed URL (range requests, one block cache for all),
 * kept while it is viewed, closed after {@code tessera.viewer.idle} without requests or when more than {@code
 * tessera.viewer.max-open} are open. The slide is never copied; the item's own output files (the platform's) are
 * fetched from the object store into a scratch directory while the item is open.
 */
@ApplicationScoped
public class ViewerSessions {

    @Inject
    ObjectStore objectStore;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tessera.viewer.block-cache-bytes", defaultValue = "268435456")
    long blockCacheBytes;

    @ConfigProperty(name = "tessera.viewer.max-open", defaultValue = "32")
    int maxOpen;

    @ConfigProperty(name = "tessera.viewer.idle", defaultValue = "PT10M")
    Duration idle;

    private final SlideReaders readers = SlideReaders.builtIn();
    private final HttpClient http = HttpRangeByteSource.newClient();
    private volatile BlockCache cache;
    private final Map<UUID, Open> open = new HashMap<>();

    private static final class Open {
        final CompletableFuture<ViewerSession> session = new CompletableFuture<>();
        final Path scratch;
        volatile Instant used;

        Open(Path scratch, Instant used) {
            this.scratch = scratch;
            this.used = used;
        }
    }

    /** The slide an item's first input artifact points at: its signed URL and how to name it. */
    record Slide(String url, String name) {}

    /** The item's slide, from its input artifacts. */
    static Slide slideOf(ItemRow item) {
        JsonNode first = Json.parse(item.inputArtifactsJson).path(0);
        String url = first.path("download_url").asText("");
        if (url.isEmpty()) {
            throw new ViewerException(404, "NOT_FOUND", "item " + item.externalId + " has no slide URL");
        }
        return new Slide(url, first.path("name").asText("whole_slide_image") + " of item " + item.externalId);
    }

    /** The open session of the item, opened now if needed. */
    ViewerSession session(ItemRow item, List<OutputArtifactRow> outputs) {
        Open entry;
        boolean mine = false;
        synchronized (open) {
            closeIdle();
            entry = open.get(item.itemId);
            if (entry == null) {
                entry = new Open(scratch(), clock.instant());
                open.put(item.itemId, entry);
                mine = true;
            }
            entry.used = clock.instant();
        }
        if (mine) {
            try {
                entry.session.complete(openSession(item, outputs, entry.scratch));
            } catch (Exception e) {
                entry.session.completeExceptionally(e);
                forget(item.itemId, entry);
            }
        }
        try {
            return entry.session.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewerException(503, "INTERRUPTED", "interrupted while opening the slide");
        } catch (ExecutionException e) {
            throw ViewerSession.error(e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause()));
        }
    }

    /** Forgets the item's session after an answer that says the slide can no longer be read (expired, changed). */
    void drop(UUID itemId) {
        Open entry;
        synchronized (open) {
            entry = open.remove(itemId);
        }
        close(entry);
    }

    private void forget(UUID itemId, Open entry) {
        synchronized (open) {
            open.remove(itemId, entry);
        }
        deleteScratch(entry.scratch);
    }

    private ViewerSession openSession(ItemRow item, List<OutputArtifactRow> outputs, Path scratch) throws Exception {
        Slide slide = slideOf(item);
        URI url = URI.create(slide.url());
        Optional<Instant> expires = SignedUrlExpiry.of(url);
        if (expires.isPresent() && !clock.instant().isBefore(expires.get())) {
            throw new ViewerException(
                    410,
                    "SLIDE_URL_EXPIRED",
                    slide.name() + " can no longer be read: its signed URL expired at " + expires.get()
                            + ". The slide stays in its owner's storage; a new signed URL is needed to view it");
        }
        HttpRangeByteSource source = HttpRangeByteSource.open(
                http,
                url,
                slide.name(),
                cache(),
                HttpRangeByteSource.Options.defaults().withClock(clock));
        SlideReader reader = readers.open(source, slide.name());
        List<ViewerOutput> files = new ArrayList<>();
        for (OutputArtifactRow output : outputs) {
            if (!OutputArtifactRow.AVAILABLE.equals(output.output())) {
                continue;
            }
            Path target = scratch.resolve(output.outputArtifactId().toString());
            files.add(new ViewerOutput(output.name(), output.mediaType(), () -> fetch(output.objectKey(), target)));
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(
                "source",
                "read from the customer's storage through the item's signed URL (range requests, not" + " copied)");
        expires.ifPresent(e -> facts.put("url_expires_at", e.toString()));
        return new ViewerSession(item.externalId, reader, files, facts);
    }

    private Path fetch(String key, Path target) throws IOException {
        synchronized (target.toString().intern()) {
            if (!Files.exists(target)) {
                Path partial = target.resolveSibling(target.getFileName() + ".partial");
                try (InputStream in = objectStore.open(key)) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        }
    }

    private BlockCache cache() {
        BlockCache current = cache;
        if (current == null) {
            synchronized (this) {
                if (cache == null) {
                    cache = new BlockCache(blockCacheBytes);
                }
                current = cache;
            }
        }
        return current;
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("tessera-viewer-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Called with the lock held: closes sessions idle too long, then the least recently used beyond the limit. */
    private void closeIdle() {
        Instant now = clock.instant();
        List<Map.Entry<UUID, Open>> entries = new ArrayList<>(open.entrySet());
        entries.sort(Comparator.comparing(e -> e.getValue().used));
        int excess = entries.size() - maxOpen + 1;
        for (Map.Entry<UUID, Open> e : entries) {
            boolean stale = Duration.between(e.getValue().used, now).compareTo(idle) > 0;
            if ((stale || excess > 0) && e.getValue().session.isDone()) {
                open.remove(e.getKey());
                excess--;
                Open closing = e.getValue();
                Thread.ofVirtual().start(() -> close(closing));
            }
        }
    }

    private void close(Open entry) {
        if (entry == null) {
            return;
        }
        try {
            ViewerSession session = entry.session.getNow(null);
            if (session != null) {
                session.close();
            }
        } catch (IOException | RuntimeException e) {
            // Closing a remote slide releases memory only; nothing to report.
        } finally {
            deleteScratch(entry.scratch);
        }
    }

    private static void deleteScratch(Path scratch) {
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary directory: the system cleans it up eventually.
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        List<Open> all;
        synchronized (open) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        all.forEach(this::close);
        http.close();
    }
}
