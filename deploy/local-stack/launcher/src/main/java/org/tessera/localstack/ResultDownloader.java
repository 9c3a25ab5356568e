package org.tessera.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Downloads a run's results the way the Python SDK does: only items that are {@code TERMINATED} with output
 * {@code FULL}, only artifacts whose output is {@code AVAILABLE}, each into
 * {@code <dir>/<run id>/<external id>/<artifact name with ':' as '_'>.<extension of its media type>}.
 */
public final class ResultDownloader {

    private static final Map<String, String> EXTENSIONS = Map.of(
            "image/png", "png",
            "image/tiff", "tiff",
            "application/vnd.apache.parquet", "parquet",
            "application/geo+json", "json",
            "application/json", "json",
            "text/csv", "csv");

    /** One downloaded artifact of an item. */
    public record Download(
            String externalId, String artifactName, String mediaType, DemoClient.ArtifactDownload download) {

        public Path file() {
            return download.file();
        }
    }

    private ResultDownloader() {}

    public static List<Download> downloadAll(DemoClient client, String runId, Path resultsDir) {
        List<Download> downloads = new ArrayList<>();
        for (JsonNode item : client.items(runId)) {
            if (!item.path("state").asText().equals("TERMINATED")
                    || !item.path("output").asText().equals("FULL")) {
                continue;
            }
            String externalId = item.path("external_id").asText();
            for (JsonNode artifact : item.path("output_artifacts")) {
                if (!artifact.path("output").asText().equals("AVAILABLE")) {
                    continue;
                }
                String name = artifact.path("name").asText();
                JsonNode metadata = artifact.path("metadata");
                String checksum = metadata.path("checksum_base64_crc32c").asText(null);
                String mediaType = metadata.path("media_type").asText("");
                if (checksum == null) {
                    throw new ApiException("artifact " + name + " of item " + externalId
                            + " has no metadata.checksum_base64_crc32c to verify its download against");
                }
                Path file = resultsDir
                        .resolve(runId)
                        .resolve(safe(externalId))
                        .resolve(safe(name.replace(':', '_')) + "." + extension(mediaType));
                downloads.add(new Download(
                        externalId,
                        name,
                        mediaType,
                        client.downloadArtifact(
                                runId, artifact.path("output_artifact_id").asText(), checksum, file)));
            }
        }
        return downloads;
    }

    static String extension(String mediaType) {
        String extension = EXTENSIONS.get(mediaType.toLowerCase(Locale.ROOT));
        if (extension == null) {
            throw new ApiException(
                    "unexpected media_type '" + mediaType + "'; clients accept only " + EXTENSIONS.keySet());
        }
        return extension;
    }

    /** External ids are client-chosen: keep them inside the results folder. */
    private static String safe(String segment) {
        String cleaned = segment.replaceAll("[^A-Za-z0-9._=+@-]", "_");
        return cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..") ? "_" + cleaned : cleaned;
    }
}
