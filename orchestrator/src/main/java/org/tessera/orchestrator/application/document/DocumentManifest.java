package org.tessera.orchestrator.application.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.tessera.objectstore.ObjectKeys;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.application.persistence.VersionDocumentRow;

/**
 * The documents of each application version (user guide, release notes), listed in {@code documents.json} next to
 * this class with their files beside it. Every entry must name a version of the catalogue and a file that exists, so
 * a mistake stops the service at start instead of answering 404 later.
 */
public final class DocumentManifest {

    public static final String RESOURCE = "documents.json";

    /**
     * One document.
     *
     * @param name the name clients use in the API, e.g. {@code user-guide}
     * @param mimeType e.g. {@code text/markdown}
     * @param visibility {@code public} or {@code internal}
     * @param file the file name, resolved beside this class
     * @param fileExtension what a saved copy is named with, e.g. {@code .md}
     */
    public record Document(
            VersionRef version, String name, String mimeType, String visibility, String file, String fileExtension) {

        public Document {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(file, "file");
            if (!VersionDocumentRow.PUBLIC.equals(visibility) && !VersionDocumentRow.INTERNAL.equals(visibility)) {
                throw new IllegalArgumentException(
                        "document " + name + " of " + version + ": visibility must be public or internal");
            }
        }

        /** Where the document lives in the object store. */
        public String objectKey() {
            return ObjectKeys.requireValid(
                    "documents/" + version.applicationId() + "/" + version.versionNumber() + "/" + name);
        }

        /** The same id in every installation, so that links to a document survive a fresh database. */
        public UUID documentId() {
            return UUID.nameUUIDFromBytes(
                    ("tessera-document/" + version.applicationId() + "/" + version.versionNumber() + "/" + name)
                            .getBytes(StandardCharsets.UTF_8));
        }

        /** The name a browser saves the download under. */
        public String fileName() {
            return name.endsWith(fileExtension) ? name : name + fileExtension;
        }

        /** The document's bytes, from the class path. */
        public byte[] bytes() {
            try (InputStream in = DocumentManifest.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("document " + name + " of " + version + ": no resource " + file);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    private final List<Document> documents;

    private DocumentManifest(List<Document> documents) {
        this.documents = List.copyOf(documents);
    }

    public static DocumentManifest load(ObjectMapper mapper, ApplicationCatalogue catalogue) {
        try (InputStream in = DocumentManifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return fromJson(mapper.readTree(in), catalogue);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static DocumentManifest fromJson(JsonNode root, ApplicationCatalogue catalogue) {
        List<Document> documents = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (JsonNode entry : root.withArray("documents")) {
            VersionRef version = new VersionRef(text(entry, "application_id"), text(entry, "version_number"));
            Application application = catalogue
                    .application(version.applicationId())
                    .orElseThrow(() -> new IllegalArgumentException(
                            RESOURCE + ": no application " + version.applicationId() + " in the catalogue"));
            if (application.version(version.versionNumber()).isEmpty()) {
                throw new IllegalArgumentException(RESOURCE + ": no version " + version + " in the catalogue");
            }
            String file = text(entry, "file");
            int dot = file.lastIndexOf('.');
            Document document = new Document(
                    version,
                    text(entry, "name"),
                    text(entry, "mime_type"),
                    entry.path("visibility").asText(VersionDocumentRow.PUBLIC),
                    file,
                    dot < 0 ? "" : file.substring(dot));
            if (!keys.add(document.objectKey())) {
                throw new IllegalArgumentException(RESOURCE + ": " + document.name() + " of " + version + " twice");
            }
            document.bytes();
            documents.add(document);
        }
        return new DocumentManifest(documents);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(RESOURCE + " entry lacks text field '" + field + "': " + node);
        }
        return value.asText();
    }

    public List<Document> documents() {
        return documents;
    }

    public Optional<Document> document(VersionRef version, String name) {
        return documents.stream()
                .filter(d -> d.version().equals(version) && d.name().equals(name))
                .findFirst();
    }
}
