package org.tessera.orchestrator.application.document;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.objectstore.ObjectStore;
import org.tessera.objectstore.ResponseHeaders;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.domain.OrganizationApplications;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.application.persistence.VersionDocumentRepository;
import org.tessera.orchestrator.application.persistence.VersionDocumentRow;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.persistence.Transactions;

/**
 * The public documents of the application versions an organization has, and short-lived signed URLs to their bytes.
 * A version the organization does not have, and everything under it, is not found, whatever the reason; internal
 * documents are never listed nor served. The API ({@code /api/v1/.../documents}) and the dashboard's download links
 * both go through here, so they cannot disagree on who may read what.
 */
@ApplicationScoped
public class VersionDocuments {

    public static final String DOCUMENT_NOT_FOUND = "APPLICATION.DOCUMENT_NOT_FOUND";

    /** A document, found for a caller, and the name a browser saves it under. */
    public record Found(VersionDocumentRow row, String fileName) {}

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

    /** The version's public documents, by name. */
    public List<VersionDocumentRow> list(String organizationId, String applicationId, String version) {
        VersionRef ref = visibleVersion(organizationId, applicationId, version);
        return Transactions.inNew(dataSource, c -> documents.of(c, ref)).stream()
                .filter(VersionDocumentRow::isPublic)
                .toList();
    }

    /** One public document of a version the organization has; 404 naming the document otherwise. */
    public Found find(String organizationId, String applicationId, String version, String name) {
        VersionRef ref = visibleVersion(organizationId, applicationId, version);
        VersionDocumentRow row = Transactions.inNew(dataSource, c -> documents.find(c, ref, name))
                .filter(VersionDocumentRow::isPublic)
                .orElseThrow(() -> new ApiException(
                        404,
                        DOCUMENT_NOT_FOUND,
                        "version '" + version + "' of application '" + applicationId + "' has no document '" + name
                                + "'"));
        String fileName = manifest.document(ref, name)
                .map(DocumentManifest.Document::fileName)
                .orElse(name);
        return new Found(row, fileName);
    }

    /** A signed URL that serves the document as an attachment saved under its file name. */
    public URI attachmentUrl(Found document) {
        return objectStore.presignGet(
                document.row().objectKey(),
                downloadUrlTtl,
                ResponseHeaders.attachment(servedType(document.row()), document.fileName()));
    }

    /** A signed URL that serves the document's content with its media type. */
    public URI contentUrl(Found document) {
        return objectStore.presignGet(
                document.row().objectKey(), downloadUrlTtl, ResponseHeaders.contentType(servedType(document.row())));
    }

    /** The version, if the organization has it; 404 otherwise, whatever the reason. */
    private VersionRef visibleVersion(String organizationId, String applicationId, String version) {
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
}
