package org.tessera.orchestrator.run.submission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;

/** Every type mistake is named by its full path, down to an input artifact's fields. */
class SubmissionParserTest {

    private static SubmissionParser.Parsed parse(String json) throws Exception {
        JsonNode body = Json.parse(json.replace('\'', '"').getBytes());
        return SubmissionParser.parse(body);
    }

    private static List<String> errors(SubmissionParser.Parsed parsed) {
        return parsed.errors().stream().map(e -> e.loc() + " " + e.type()).toList();
    }

    @Test
    void aWellFormedBodyHasNoErrorsAndKeepsItsValues() throws Exception {
        SubmissionParser.Parsed parsed = parse("{'application_id': 'test-app', 'items': [{'external_id': 'a',"
                + " 'input_artifacts': [{'name': 'wsi', 'download_url': 'https://x.example/a', 'metadata': {}}]}]}");
        assertThat(parsed.errors()).isEmpty();
        RunSubmission.InputArtifactSubmission input =
                parsed.submission().items().getFirst().inputArtifacts().getFirst();
        assertThat(input.name()).isEqualTo("wsi");
        assertThat(input.downloadUrl()).isEqualTo("https://x.example/a");
        assertThat(parsed.submission().items().getFirst().externalId()).isEqualTo("a");
    }

    @Test
    void mistakesInsideItemsAndInputsNameTheirFields() throws Exception {
        SubmissionParser.Parsed parsed = parse("{'application_id': 7, 'version_number': [],"
                + " 'scheduling': {'due_date': 5, 'deadline': 'soon'}, 'items': ["
                + " {'external_id': 'a', 'custom_metadata': 'x', 'input_artifacts': ["
                + "   'not an object',"
                + "   {'name': 3, 'metadata': []},"
                + "   {'name': 'wsi', 'download_url': 'https://x.example/a'}]},"
                + " {'input_artifacts': {}}]}");
        assertThat(errors(parsed))
                .containsExactlyInAnyOrder(
                        "[body, application_id] string_type",
                        "[body, version_number] string_type",
                        "[body, scheduling, due_date] datetime_type",
                        "[body, scheduling, deadline] datetime_parsing",
                        "[body, items, 0, custom_metadata] dict_type",
                        "[body, items, 0, input_artifacts, 0] model_attributes_type",
                        "[body, items, 0, input_artifacts, 1, name] string_type",
                        "[body, items, 0, input_artifacts, 1, download_url] missing",
                        "[body, items, 0, input_artifacts, 1, metadata] dict_type",
                        "[body, items, 0, input_artifacts, 2, metadata] missing",
                        "[body, items, 1, external_id] missing",
                        "[body, items, 1, input_artifacts] list_type");
        assertThat(parsed.errors()).extracting(FieldError::msg).doesNotContainNull();
    }
}
