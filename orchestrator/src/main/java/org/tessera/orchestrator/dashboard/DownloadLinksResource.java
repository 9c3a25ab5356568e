package org.tessera.orchestrator.dashboard;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.objectstore.ObjectStore;
import org.tessera.objectstore.ResponseHeaders;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.common.api.QueryParams;
import org.tessera.orchestrator.run.RunReads;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * {@code GET /api/dashboard/v1/runs/{run_id}/artifacts/{artifact_id}/link}: the signed URL that {@code GET
 * /v1/runs/{id}/artifacts/{artifact_id}/file} redirects to, as JSON, served as an attachment with a file name. A
 * browser's fetch() cannot read a cross-origin redirect's target, so the dashboard asks for the link and then lets the
 * browser download it. Same visibility as the API (owner, admins, grants, share token).
 */
@Path("/api/dashboard/v1/runs/{run_id}/artifacts/{artifact_id}/link")
public class DownloadLinksResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    RunReads reads;

    @Inject
    ObjectStore objectStore;

    @ConfigProperty(name = "tessera.orchestrator.download-url-ttl", defaultValue = "PT15M")
    Duration downloadUrlTtl;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> link(
            @PathParam("run_id") String runId,
            @PathParam("artifact_id") String artifactId,
            @QueryParam("share_token") String shareToken)
            throws SQLException {
        OutputArtifactRow output = reads.downloadableOutput(
                QueryParams.uuidPath("run_id", runId),
                QueryParams.uuidPath("artifact_id", artifactId),
                directory.caller(token),
                shareToken);
        String file = fileName(output.name(), output.mediaType());
        return Map.of(
                "url",
                objectStore
                        .presignGet(
                                output.objectKey(),
                                downloadUrlTtl,
                                new ResponseHeaders(output.mediaType(), "attachment; filename=\"" + file + "\""))
                        .toString(),
                "file_name",
                file);
    }

    static String fileName(String artifactName, String mediaType) {
        String base = artifactName.replaceAll("[^A-Za-z0-9._-]", "_");
        String type = mediaType == null ? "" : mediaType.toLowerCase(java.util.Locale.ROOT);
        String extension = type.contains("tiff")
                ? ".tiff"
                : type.contains("geo+json")
                        ? ".geojson"
                        : type.contains("json") ? ".json" : type.contains("csv") ? ".csv" : "";
        return base + extension;
    }
}
