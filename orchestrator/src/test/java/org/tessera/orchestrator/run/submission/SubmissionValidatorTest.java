package org.tessera.orchestrator.run.submission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.domain.OrganizationApplications;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.common.FieldError;

class SubmissionValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApplicationCatalogue CATALOGUE = ApplicationCatalogue.load(JSON);
    private static final SubmissionValidator VALIDATOR = new SubmissionValidator(CATALOGUE, 3);
    /** An organization with nothing assigned: it has the free test application only. */
    private static final OrganizationApplications FREE_ONLY =
            new OrganizationApplications("lab", CATALOGUE.applications(), List.of());

    @Test
    void acceptsAValidRunAndPicksTheLatestVersion() throws Exception {
        SubmissionValidator.Verdict verdict =
                VALIDATOR.validate(parse(run("test-app", null, item("a"), item("b"))), FREE_ONLY);

        assertThat(verdict)
                .isInstanceOfSatisfying(
                        SubmissionValidator.Accepted.class,
                        accepted -> assertThat(accepted.version().number()).isEqualTo("1.1.0"));
    }

    @Test
    void unknownApplicationAndVersionNameTheirField() throws Exception {
        assertThat(VALIDATOR.validate(parse(run("nope", null, item("a"))), FREE_ONLY))
                .isInstanceOfSatisfying(
                        SubmissionValidator.NotFound.class,
                        nf -> assertThat(nf.field()).isEqualTo("application_id"));
        assertThat(VALIDATOR.validate(parse(run("test-app", "\"0.0.1\"", item("a"))), FREE_ONLY))
                .isInstanceOfSatisfying(
                        SubmissionValidator.NotFound.class,
                        nf -> assertThat(nf.field()).isEqualTo("version_number"));
    }

    @Test
    void theOrganizationMustHaveTheApplicationAndTheVersion() throws Exception {
        RunSubmission heTme = parse(run("he-tme", null, item("a")));
        assertThat(VALIDATOR.validate(heTme, FREE_ONLY))
                .isInstanceOfSatisfying(SubmissionValidator.NotAvailable.class, refused -> {
                    assertThat(refused.field()).isEqualTo("application_id");
                    assertThat(refused.code()).isEqualTo(ApplicationAccess.APPLICATION_NOT_AVAILABLE);
                    assertThat(refused.message()).contains("he-tme", "lab");
                });

        OrganizationApplications withHeTme = new OrganizationApplications(
                "lab", CATALOGUE.applications(), List.of(new VersionRef("he-tme", "1.0.0")));
        assertThat(VALIDATOR.validate(parse(run("he-tme", "\"2.0.0\"", item("a"))), withHeTme))
                .isInstanceOfSatisfying(SubmissionValidator.NotFound.class, refused -> {
                    assertThat(refused.field()).isEqualTo("version_number");
                    assertThat(refused.code()).isEqualTo(ApplicationAccess.VERSION_NOT_FOUND);
                });
        // Past the access check, he-tme's own metadata schema applies (staining and specimen are missing here).
        assertThat(VALIDATOR.validate(heTme, withHeTme)).isInstanceOf(SubmissionValidator.Invalid.class);
    }

    @Test
    void namesEveryOffendingField() throws Exception {
        String badMetadata = item("c").replace("\"width_px\": 100", "\"width_px\": \"wide\"");
        String relativeUrl = item("d").replace("https://example.org/d", "relative/d");
        SubmissionValidator validator = new SubmissionValidator(ApplicationCatalogue.load(JSON), 10);

        SubmissionValidator.Verdict verdict = validator.validate(
                parse(run("test-app", null, item("a"), item("a"), badMetadata, relativeUrl)), FREE_ONLY);

        assertThat(verdict).isInstanceOf(SubmissionValidator.Invalid.class);
        List<String> fields = ((SubmissionValidator.Invalid) verdict)
                .errors().stream().map(FieldError::field).toList();
        assertThat(fields)
                .containsExactlyInAnyOrder(
                        "items[1].external_id",
                        "items[2].input_artifacts[0].metadata.width_px",
                        "items[3].input_artifacts[0].download_url");
    }

    @Test
    void tooManyItems() throws Exception {
        SubmissionValidator.Verdict verdict =
                VALIDATOR.validate(parse(run("test-app", null, item("a"), item("b"), item("c"), item("d"))), FREE_ONLY);

        assertThat(((SubmissionValidator.Invalid) verdict).errors())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.loc()).containsExactly("body", "items");
                    assertThat(e.type()).isEqualTo("too_long");
                });
    }

    @Test
    void urlsMustBeAbsoluteHttp() throws Exception {
        for (String url : List.of("file:///etc/passwd", "slides/a.tiff", "http://", "https://exa mple.org/a")) {
            String input = item("a").replace("https://example.org/a", url);
            SubmissionValidator.Verdict verdict = VALIDATOR.validate(parse(run("test-app", null, input)), FREE_ONLY);
            assertThat(verdict).as(url).isInstanceOf(SubmissionValidator.Invalid.class);
            assertThat(((SubmissionValidator.Invalid) verdict)
                            .errors()
                            .getFirst()
                            .field())
                    .isEqualTo("items[0].input_artifacts[0].download_url");
        }
    }

    @Test
    void parserReportsTypeErrorsWithTheirLocation() throws Exception {
        SubmissionParser.Parsed parsed = SubmissionParser.parse(
                JSON.readTree("{\"application_id\": 7, \"version_number\": [], \"items\": [{\"external_id\": \"a\","
                        + " \"input_artifacts\": [{\"name\": \"whole_slide_image\", \"download_url\": 3,"
                        + " \"metadata\": []}]}]}"));

        assertThat(parsed.errors())
                .extracting(FieldError::field)
                .containsExactly(
                        "application_id",
                        "version_number",
                        "items[0].input_artifacts[0].download_url",
                        "items[0].input_artifacts[0].metadata");
        assertThat(parsed.errors().getFirst().loc()).containsExactly("body", "application_id");
    }

    private static RunSubmission parse(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        SubmissionParser.Parsed parsed = SubmissionParser.parse(node);
        assertThat(parsed.errors()).isEmpty();
        return parsed.submission();
    }

    private static String run(String application, String version, String... items) {
        return "{\"application_id\": \"" + application + "\", \"version_number\": " + version + ", \"items\": ["
                + String.join(",", items) + "]}";
    }

    private static String item(String externalId) {
        return "{\"external_id\": \"" + externalId + "\", \"input_artifacts\": [{\"name\": \"whole_slide_image\","
                + " \"download_url\": \"https://example.org/" + externalId + "\","
                + " \"metadata\": {\"checksum_base64_crc32c\": \"AAAAAA==\", \"width_px\": 100, \"height_px\": 100,"
                + " \"resolution_mpp\": 0.25}}]}";
    }
}
