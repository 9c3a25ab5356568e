package org.tessera.orchestrator.dashboard;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.orchestrator.application.document.VersionDocuments;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * {@code GET /api/dashboard/v1/applications/{application_id}/versions/{version}/documents/{name}/link}: the signed URL
 * that {@code GET /v1/applications/.../documents/{name}/file} redirects to, as JSON with the file name. The dashboard
 * cannot follow that redirect with fetch() (it leads to another origin), so it asks for the link and lets the browser
 * download it. Same visibility as the API: only organizations that have the version.
 */
@Path("/api/dashboard/v1/applications/{application_id}/versions/{version}/documents/{name}/link")
public class DocumentLinksResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    VersionDocuments documents;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> link(
            @PathParam("application_id") String applicationId,
            @PathParam("version") String version,
            @PathParam("name") String name) {
        VersionDocuments.Found document =
                documents.find(directory.caller(token).organizationId(), applicationId, version, name);
        return Map.of(
                "url", documents.attachmentUrl(document).toString(),
                "file_name", document.fileName());
    }
}
