package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTest {

    private static JsonNode json(String text) throws Exception {
        return DemoClient.json().readTree(text);
    }

    @Test
    void picksTheHighestSemanticVersionNotTheLastListed() throws Exception {
        JsonNode application = json("""
                {"versions": [{"number": "1.10.0"}, {"number": "1.9.3"}, {"number": "2.0.0-beta.1"}, {"number": "1.2.0"}]}
                """);
        assertThat(Demo.latestVersion(application)).isEqualTo("2.0.0-beta.1");
        assertThat(Demo.compareSemver("2.0.0", "2.0.0-beta.1")).isPositive();
        assertThat(Demo.compareSemver("1.10.0", "1.9.3")).isPositive();
    }

    @Test
    void refusesToSubmitWhenTheSchemaRequiresAFieldTheDemoDoesNotSend() throws Exception {
        JsonNode version = json("""
                {"version_number": "1.0.0", "input_artifacts": [{"name": "whole_slide_image",
                 "metadata_schema": {"required": ["checksum_base64_crc32c", "staining_method"]}}]}
                """);
        assertThatThrownBy(() -> Demo.checkMetadataSchema(version))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("'staining_method'");
    }

    @Test
    void progressLineShowsStateCountsAndTiles() throws Exception {
        JsonNode run = json("""
                {"state": "PROCESSING", "termination_reason": null, "output": "PARTIAL",
                 "statistics": {"item_count": 3, "item_pending_count": 1, "item_processing_count": 1,
                  "item_succeeded_count": 1, "item_user_error_count": 0, "item_system_error_count": 0,
                  "item_skipped_count": 0}}
                """);
        List<JsonNode> items = List.of(
                json("{\"progress\": {\"tiles_done\": 40, \"tiles_total\": 100}}"), json("{\"progress\": null}"));

        assertThat(RunProgress.line(Duration.ofSeconds(12), run, items))
                .isEqualTo("[ 12 s] run PROCESSING, output PARTIAL | items: 1 pending, 1 processing, 1 succeeded of 3"
                        + " | tiles 40/100");
    }

    @Test
    void artifactsAreNamedByTheMediaTypesClientsAccept() {
        assertThat(ResultDownloader.extension("application/geo+json")).isEqualTo("json");
        assertThat(ResultDownloader.extension("image/tiff")).isEqualTo("tiff");
        assertThatThrownBy(() -> ResultDownloader.extension("application/x-unknown"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("application/x-unknown");
    }
}
