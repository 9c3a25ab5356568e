package org.tessera.orchestrator.run.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.domain.OrganizationApplications;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.run.domain.Scheduling;

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

    @Test
    void schedulingIsReadAndADueDateAfterTheDeadlineOrAPassedDeadlineNamesItsField() throws Exception {
        Instant now = Instant.parse("2026-03-01T00:00:00Z");
        RunSubmission fine = parse(withRules(
                "{\"due_date\": \"2026-03-04T23:59:59Z\", \"deadline\": \"2026-03-05T01:59:59+02:00\"}", null));
        RunSubmission dueAfterDeadline = parse(
                withRules("{\"due_date\": \"2026-03-06T00:00:00Z\", \"deadline\": \"2026-03-05T23:59:59Z\"}", null));
        RunSubmission passed = parse(withRules("{\"deadline\": \"2026-02-28T23:59:59Z\"}", null));

        assertThat(fine.scheduling())
                .isEqualTo(
                        new Scheduling(Instant.parse("2026-03-04T23:59:59Z"), Instant.parse("2026-03-04T23:59:59Z")));
        assertThat(VALIDATOR.validate(fine, FREE_ONLY, now)).isInstanceOf(SubmissionValidator.Accepted.class);
        assertThat(errors(VALIDATOR.validate(dueAfterDeadline, FREE_ONLY, now)))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.loc()).containsExactly("body", "scheduling", "due_date");
                    assertThat(e.type()).isEqualTo("due_date_after_deadline");
                });
        assertThat(errors(VALIDATOR.validate(passed, FREE_ONLY, now)))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.loc()).containsExactly("body", "scheduling", "deadline");
                    assertThat(e.type()).isEqualTo("datetime_future");
                });
        // Admission re-checks without a clock: a deadline that passed meanwhile is the deadline watchdog's business.
        assertThat(VALIDATOR.validate(passed, FREE_ONLY)).isInstanceOf(SubmissionValidator.Accepted.class);
        assertThat(parse(withRules("{\"due_date\": null}", null)).scheduling()).isNull();
    }

    @Test
    void schedulingThatIsNotAnRfc3339DateTimeIsATypeError() throws Exception {
        SubmissionParser.Parsed parsed = SubmissionParser.parse(
                JSON.readTree(withRules("{\"due_date\": \"tomorrow\", \"deadline\": \"2026-03-05T23:59:59\"}", null)));
        SubmissionParser.Parsed notAnObject = SubmissionParser.parse(JSON.readTree(withRules("\"soon\"", "[]")));

        assertThat(parsed.errors())
                .extracting(FieldError::field, FieldError::type)
                .containsExactly(
                        tuple("scheduling.due_date", "datetime_parsing"),
                        tuple("scheduling.deadline", "datetime_parsing"));
        assertThat(notAnObject.errors())
                .extracting(FieldError::field, FieldError::type)
                .containsExactly(tuple("scheduling", "dict_type"), tuple("callback_context", "dict_type"));
    }

    @Test
    void aCallbackContextOfUpTo1024BytesIsKeptVerbatimAndALargerOneNamesItsField() throws Exception {
        // {"k":"…"} is 8 bytes plus the value; the é counts twice in UTF-8.
        String fits = "{\"k\": \"" + "é".repeat(8) + "x".repeat(1000) + "\"}";
        String tooLarge = "{\"k\": \"" + "é".repeat(9) + "x".repeat(1000) + "\"}";
        RunSubmission kept = SubmissionParser.parse(
                        Json.parse(withRules(null, "{\"b\": 1.50, \"a\": {\"z\": [2, 1]}}")))
                .submission();

        assertThat(VALIDATOR.validate(parse(withRules(null, fits)), FREE_ONLY))
                .isInstanceOf(SubmissionValidator.Accepted.class);
        assertThat(errors(VALIDATOR.validate(parse(withRules(null, tooLarge)), FREE_ONLY)))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.loc()).containsExactly("body", "callback_context");
                    assertThat(e.type()).isEqualTo("too_long");
                    assertThat(e.msg()).contains("1024").contains("1026");
                });
        assertThat(Json.write(kept.callbackContext())).isEqualTo("{\"b\":1.50,\"a\":{\"z\":[2,1]}}");
    }

    private static List<FieldError> errors(SubmissionValidator.Verdict verdict) {
        assertThat(verdict).isInstanceOf(SubmissionValidator.Invalid.class);
        return ((SubmissionValidator.Invalid) verdict).errors();
    }

    /** A valid run with the given {@code scheduling} and {@code callback_context} JSON (null leaves them out). */
    private static String withRules(String scheduling, String callbackContext) {
        String run = run("test-app", null, item("a"));
        String rules = (scheduling == null ? "" : ", \"scheduling\": " + scheduling)
                + (callbackContext == null ? "" : ", \"callback_context\": " + callbackContext);
        return run.substring(0, run.length() - 1) + rules + "}";
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
