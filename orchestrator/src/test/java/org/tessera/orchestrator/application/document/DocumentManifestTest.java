package org.tessera.orchestrator.application.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.application.domain.ApplicationVersion;
import org.tessera.orchestrator.application.domain.VersionRef;

class DocumentManifestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApplicationCatalogue CATALOGUE = ApplicationCatalogue.load(JSON);

    @Test
    void everyVersionOfTheCatalogueHasAUserGuideThatNamesItsOutputs() {
        DocumentManifest manifest = DocumentManifest.load(JSON, CATALOGUE);
        for (Application application : CATALOGUE.applications()) {
            for (ApplicationVersion version : application.versions()) {
                VersionRef ref = new VersionRef(application.applicationId(), version.number());
                DocumentManifest.Document guide = manifest.document(ref, "user-guide")
                        .orElseThrow(() -> new AssertionError(ref + " has no guide"));
                assertThat(guide.mimeType()).isEqualTo("text/markdown");
                assertThat(guide.visibility()).isEqualTo("public");
                assertThat(guide.fileName()).isEqualTo("user-guide.md");
                String text = new String(guide.bytes(), StandardCharsets.UTF_8);
                assertThat(text).as(ref.toString()).contains(application.name() + " " + version.number());
                version.outputArtifacts()
                        .forEach(output -> assertThat(text)
                                .as(ref + " documents " + output.name())
                                .contains("`" + output.name() + "`"));
                version.inputArtifacts()
                        .getFirst()
                        .metadataSchema()
                        .path("properties")
                        .fieldNames()
                        .forEachRemaining(field ->
                                assertThat(text).as(ref + " documents " + field).contains("`" + field));
            }
        }
    }

    @Test
    void documentsHaveStableIdsAndKeysPerVersion() {
        DocumentManifest manifest = DocumentManifest.load(JSON, CATALOGUE);
        DocumentManifest.Document guide = manifest.document(new VersionRef("he-tme", "1.0.0"), "user-guide")
                .orElseThrow();
        assertThat(guide.objectKey()).isEqualTo("documents/he-tme/1.0.0/user-guide");
        assertThat(guide.documentId())
                .isEqualTo(DocumentManifest.load(JSON, CATALOGUE)
                        .document(new VersionRef("he-tme", "1.0.0"), "user-guide")
                        .orElseThrow()
                        .documentId())
                .isNotEqualTo(manifest.document(new VersionRef("test-app", "1.0.0"), "user-guide")
                        .orElseThrow()
                        .documentId());
    }

    @Test
    void entriesForVersionsOrFilesThatDoNotExistStopTheLoad() throws Exception {
        assertThatThrownBy(() -> DocumentManifest.fromJson(
                        JSON.readTree("{\"documents\": [{\"application_id\": \"he-tme\", \"version_number\": \"9.9.9\","
                                + " \"name\": \"user-guide\", \"mime_type\": \"text/markdown\","
                                + " \"file\": \"he-tme/1.0.0/user-guide.md\"}]}"),
                        CATALOGUE))
                .hasMessageContaining("he-tme 9.9.9");
        assertThatThrownBy(() -> DocumentManifest.fromJson(
                        JSON.readTree("{\"documents\": [{\"application_id\": \"he-tme\", \"version_number\": \"1.0.0\","
                                + " \"name\": \"missing\", \"mime_type\": \"text/markdown\","
                                + " \"file\": \"he-tme/1.0.0/missing.md\"}]}"),
                        CATALOGUE))
                .hasMessageContaining("he-tme/1.0.0/missing.md");
    }
}
