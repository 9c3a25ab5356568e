package org.tessera.orchestrator.application.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.orchestrator.application.document.VersionDocuments;
import org.tessera.orchestrator.application.persistence.VersionDocumentRow;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * The public documents of an application version, for organizations that have that version; to everyone else the
 * version and its documents answer 404, as the API specifies. Downloads redirect to short-lived signed URLs.
 */
@Path("/api/v1/applications/{application_id}/versions/{version}/documents")
@Produces(MediaType.APPLICATION_JSON)
public class VersionDocumentsResource {

    public static final String DOCUMENT_NOT_FOUND = VersionDocuments.DOCUMENT_NOT_FOUND;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VersionDocumentResponse(
            UUID id, String name, String mimeType, String visibility, Instant createdAt, Instant updatedAt) {}

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    VersionDocuments documents;

    @GET
    public List<VersionDocumentResponse> list(
            @PathParam("application_id") String applicationId, @PathParam("version") String version) {
        return documents.list(organization(), applicationId, version).stream()
                .map(VersionDocumentsResource::response)
                .toList();
    }

    @GET
    @Path("/{name}")
    public VersionDocumentResponse document(
            @PathParam("application_id") String applicationId,
            @PathParam("version") String version,
            @PathParam("name") String name) {
        return response(
                documents.find(organization(), applicationId, version, name).row());
    }

    /** For browsers: the signed URL serves the document as an attachment, saved under its name. */
    @GET
    @Path("/{name}/file")
    public Response file(
            @PathParam("application_id") String applicationId,
            @PathParam("version") String version,
            @PathParam("name") String name) {
        return redirect(documents.attachmentUrl(documents.find(organization(), applicationId, version, name)));
    }

    /** For programs: the signed URL serves the document's content with its media type. */
    @GET
    @Path("/{name}/content")
    public Response content(
            @PathParam("application_id") String applicationId,
            @PathParam("version") String version,
            @PathParam("name") String name) {
        return redirect(documents.contentUrl(documents.find(organization(), applicationId, version, name)));
    }

    private String organization() {
        return directory.caller(token).organizationId();
    }

    private static Response redirect(URI location) {
        // The URL is a short-lived credential: no cache may keep the redirect.
        return Response.temporaryRedirect(location)
                .header("Cache-Control", "no-store")
                .build();
    }

    private static VersionDocumentResponse response(VersionDocumentRow row) {
        return new VersionDocumentResponse(
                row.documentId(), row.name(), row.mimeType(), row.visibility(), row.createdAt(), row.updatedAt());
    }
}
