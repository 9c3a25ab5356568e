package org.tessera.orchestrator.application.document;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.objectstore.ObjectStore;
import org.tessera.orchestrator.application.persistence.VersionDocumentRepository;
import org.tessera.orchestrator.application.persistence.VersionDocumentRow;
import org.tessera.orchestrator.common.persistence.Transactions;

/**
 * Puts every document of the manifest into the object store and records it in {@code application_version_document},
 * at start and, for documents that failed (the object store was not reachable yet), every minute until they are in.
 * Idempotent: a document whose stored bytes are the same is neither uploaded nor updated again, so {@code updated_at}
 * moves only when a release changes the text. A document is listed only once it is in the store.
 */
@ApplicationScoped
public class DocumentPublisher {

    private static final Logger LOG = Logger.getLogger(DocumentPublisher.class);

    @Inject
    DocumentManifest manifest;

    @Inject
    ObjectStore objectStore;

    @Inject
    VersionDocumentRepository documents;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    private final Set<DocumentManifest.Document> published = ConcurrentHashMap.newKeySet();

    void onStart(@Observes @Priority(30) StartupEvent event) {
        publishPending();
    }

    @Scheduled(
            identity = "version-document-publisher",
            every = "1m",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        publishPending();
    }

    /** Publishes what is not published yet; returns how many documents are still missing. */
    synchronized int publishPending() {
        int missing = 0;
        for (DocumentManifest.Document document : manifest.documents()) {
            if (published.contains(document)) {
                continue;
            }
            try {
                publish(document);
                published.add(document);
            } catch (IOException | RuntimeException e) {
                missing++;
                LOG.warnf(e, "document %s of %s is not published yet; retrying", document.name(), document.version());
            }
        }
        return missing;
    }

    /** Uploads the document unless the store holds these bytes, and records it; true when either changed anything. */
    boolean publish(DocumentManifest.Document document) throws IOException {
        byte[] bytes = document.bytes();
        String key = document.objectKey();
        boolean uploaded = false;
        if (!storedAlready(key, bytes)) {
            Path file = Files.createTempFile("tessera-document-", ".tmp");
            try {
                Files.write(file, bytes);
                objectStore.put(key, file, document.mimeType());
                uploaded = true;
            } finally {
                Files.deleteIfExists(file);
            }
        }
        Instant now = clock.instant();
        VersionDocumentRow row = new VersionDocumentRow(
                document.documentId(),
                document.version().applicationId(),
                document.version().versionNumber(),
                document.name(),
                document.mimeType(),
                document.visibility(),
                key,
                sha256(bytes),
                bytes.length,
                now,
                now);
        boolean recorded = Transactions.inNew(dataSource, c -> documents.upsert(c, row));
        if (uploaded || recorded) {
            LOG.infof("published document %s of %s (%d bytes)", document.name(), document.version(), bytes.length);
        }
        return uploaded || recorded;
    }

    private boolean storedAlready(String key, byte[] bytes) throws IOException {
        if (!objectStore.exists(key)) {
            return false;
        }
        try (InputStream in = objectStore.open(key)) {
            return Arrays.equals(in.readNBytes(bytes.length + 1), bytes);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
