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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.objectstore.ObjectStore;
import org.tessera.objectstore.ResponseHeaders;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.document.DocumentManifest;
import org.tessera.orchestrator.application.domain.OrganizationApplications;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.application.persistence.VersionDocumentRepository;
import org.tessera.orchestrator.application.persistence.VersionDocumentRow;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * The public documents of an application version, for organizations that have that version; to everyone else the
 * version and its documents answer 404, as the API specifies. Downloads redirect to short-lived signed URLs.
 */
@Path("/api/v1/applications/{application_id}/versions/{version}/documents")
@Produces(MediaType.APPLICATION_JSON)
public class VersionDocumentsResource {

    public static final String DOCUMENT_NOT_FOUND = "APPLICATION.DOCUMENT_NOT_FOUND";

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VersionDocumentResponse(
            UUID id, String name, String mimeType, String visibility, Instant createdAt, Instant updatedAt) {}

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    ApplicationAccess access;

    @Inject
    VersionDocumentRepository documents;

    @Inject
    DocumentManifest manifest;

    @Inject
    ObjectStore objectStore;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "tessera.orchestrator.download-url-ttl", defaultValue = "PT15M")
    Duration downloadUrlTtl;

    @GET
    public List<VersionDocumentResponse> list(
            @PathParam("application_id") String applicationId, @PathParam("version") String version) {
        VersionRef ref = visibleVersion(applicationId, version);
        return Transactions.inNew(dataSource, c -> documents.of(c, ref)).stream()
                .filter(VersionDocumentRow::isPublic)
                .map(VersionDocumentsResource::response)
                .toList();
    }

    @GET
    @Path("/{name}")
    public VersionDocumentResponse document(
            @PathParam("application_id") String applicationId,
            @PathParam("version") String version,
            @PathParam("name") String name) {
        return response(find(applicationId, version, name));
    }

    /** For browsers: the signed URL serves the document as an attachment, saved under its name. */
    @GET
    @Path("/{name}/file")
    public Response file(
            @PathParam("application_id") String applicationId,
            @PathParam("version") String version,
            @PathParam("name") String name) {
        VersionDocumentRow document = find(applicationId, version, name);
        String fileName = manifest.document(new VersionRef(applicationId, version), name)
                .map(DocumentManifest.Document::fileName)
                .orElse(name);
        return redirect(document, ResponseHeaders.attachment(servedType(document), fileName));
    }

    /** For programs: the signed URL serves the document's content with its media type. */
    @GET
    @Path("/{name}/content")
    public Response content(
            @PathParam("application_id") String applicationId,
            @PathParam("version") String version,
            @PathParam("name") String name) {
        VersionDocumentRow document = find(applicationId, version, name);
        return redirect(document, ResponseHeaders.contentType(servedType(document)));
    }

    private Response redirect(VersionDocumentRow document, ResponseHeaders headers) {
        URI location = objectStore.presignGet(document.objectKey(), downloadUrlTtl, headers);
        // The URL is a short-lived credential: no cache may keep the redirect.
        return Response.temporaryRedirect(location)
                .header("Cache-Control", "no-store")
                .build();
    }

    private VersionDocumentRow find(String applicationId, String version, String name) {
        VersionRef ref = visibleVersion(applicationId, version);
        return Transactions.inNew(dataSource, c -> documents.find(c, ref, name))
                .filter(VersionDocumentRow::isPublic)
                .orElseThrow(() -> new ApiException(
                        404,
                        DOCUMENT_NOT_FOUND,
                        "version '" + version + "' of application '" + applicationId + "' has no document '" + name
                                + "'"));
    }

    /** The version, if the caller's organization has it; 404 otherwise, whatever the reason. */
    private VersionRef visibleVersion(String applicationId, String version) {
        String organizationId = directory.caller(token).organizationId();
        return switch (access.of(organizationId).version(applicationId, version)) {
            case OrganizationApplications.GrantedVersion granted ->
                new VersionRef(applicationId, granted.version().number());
            case OrganizationApplications.UnknownApplication unknown ->
                throw new ApiException(
                        404,
                        ApplicationAccess.APPLICATION_NOT_FOUND,
                        ApplicationAccess.unknownApplicationMessage(applicationId));
            case OrganizationApplications.ApplicationNotAvailable notAvailable ->
                throw versionNotFound(applicationId, version);
            case OrganizationApplications.VersionNotAvailable notAvailable ->
                throw versionNotFound(applicationId, version);
        };
    }

    private static ApiException versionNotFound(String applicationId, String version) {
        return new ApiException(
                404,
                ApplicationAccess.VERSION_NOT_FOUND,
                ApplicationAccess.versionNotFoundMessage(applicationId, version));
    }

    /** Documents are UTF-8; saying so keeps µ and ² intact in browsers. */
    private static String servedType(VersionDocumentRow document) {
        return document.mimeType().startsWith("text/") && !document.mimeType().contains("charset")
                ? document.mimeType() + "; charset=utf-8"
                : document.mimeType();
    }

    private static VersionDocumentResponse response(VersionDocumentRow row) {
        return new VersionDocumentResponse(
                row.documentId(), row.name(), row.mimeType(), row.visibility(), row.createdAt(), row.updatedAt());
    }
}
