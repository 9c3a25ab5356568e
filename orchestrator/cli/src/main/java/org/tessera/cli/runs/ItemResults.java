package org.tessera.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tessera.cli.api.ApiClient;

/** Downloads the available results of one item of a run, each file's CRC32C checked, resuming partial files. */
public final class ItemResults {

    /** One downloaded result file. */
    public record File(String artifact, Path path, ArtifactDownloader.Outcome outcome, String checksum) {}

    private ItemResults() {}

    /**
     * Puts every AVAILABLE output artifact of {@code item} (an element of {@code GET /runs/{id}/items}) into
     * {@code directory}, named as the worker names them ({@code tissue_qc:geojson_polygons} → {@code
     * tissue_qc_geojson_polygons.geojson}).
     */
    public static List<File> download(ApiClient api, String runId, JsonNode item, Path directory) {
        String runPath = "runs/" + ApiClient.encode(runId);
        ArtifactDownloader downloader = new ArtifactDownloader(api.http());
        List<File> files = new ArrayList<>();
        for (JsonNode artifact : item.path("output_artifacts")) {
            if (!"AVAILABLE".equals(artifact.path("output").asText())) {
                continue;
            }
            String artifactId = artifact.path("output_artifact_id").asText();
            JsonNode metadata = artifact.path("metadata");
            String name = artifact.path("name").asText();
            Path target = directory.resolve(RunsCommand.safe(name.replace(':', '_'))
                    + RunsCommand.extension(metadata.path("media_type").asText("")));
            String checksum = metadata.path("checksum_base64_crc32c").asText();
            ArtifactDownloader.Outcome outcome = downloader.download(
                    () -> api.redirect(runPath + "/artifacts/" + ApiClient.encode(artifactId) + "/file"),
                    checksum,
                    target);
            files.add(new File(name, target, outcome, checksum));
        }
        return files;
    }
}
