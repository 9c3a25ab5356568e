package org.tessera.orchestrator.application.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.tessera.contracts.ContractsJson;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.manifest.ManifestRefusedException;
import org.tessera.orchestrator.application.manifest.ManifestRegistry;
import org.tessera.orchestrator.application.persistence.RegisteredVersionRow;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;

/**
 * Application versions described by manifests (admin API, super-admins only): register one with its models, list
 * them, read one's manifest. A registered version is assigned to organizations like any other
 * ({@code PUT /organizations/{id}/applications/{app}/versions/{version}}). docs/bring-your-own-model.md.
 */
@Path("/api/admin/v1/application-versions")
@Tag(name = "Admin")
@SecurityRequirement(name = "OAuth2AuthorizationCodeBearer")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationVersionsAdminResource {

    /** The version exists with another manifest or other models. */
    public static final String VERSION_EXISTS = "APPLICATION.VERSION_EXISTS";

    /**
     * A registered version.
     *
     * @param registeredBy the super-admin; null when it came from the manifest folder
     * @param manifest the manifest as registered, each model with its object-store key
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RegisteredVersionResponse(
            String applicationId, String versionNumber, Instant registeredAt, String registeredBy, JsonNode manifest) {}

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    ManifestRegistry registry;

    /**
     * Registers a version from {@code multipart/form-data}: a part {@code manifest} (the manifest's JSON) and one part
     * per model, named (or with the file name) as the manifest's {@code file}.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(
            summary = "Register an application version described by a manifest",
            description = "Super-admins only. 201 when registered, 200 when the same manifest and models were"
                    + " registered before; 422 with every reason when the manifest or a model is refused (checksum,"
                    + " input or output shapes, class count, output kind); 409 when the version exists with other"
                    + " content.")
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(
            responseCode = "409",
            description = "The version exists with another manifest (APPLICATION.VERSION_EXISTS)")
    @APIResponse(responseCode = "422", description = "The manifest or a model is refused; each reason names its field")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description = "The caller is not a super-admin (AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public Response register(
            @RestForm("manifest") String manifestText, @RestForm(FileUpload.ALL) List<FileUpload> parts) {
        Caller caller = directory.caller(token);
        caller.requireSuperAdmin();
        String by = caller.userId();
        byte[] manifest = manifestText == null ? null : manifestText.getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (FileUpload part : parts == null ? List.<FileUpload>of() : parts) {
            byte[] bytes = read(part);
            if ("manifest".equals(part.name())) {
                manifest = manifest == null ? bytes : manifest;
                continue;
            }
            files.put(part.name(), bytes);
            if (part.fileName() != null && !part.fileName().isBlank()) {
                files.put(part.fileName(), bytes);
            }
        }
        if (manifest == null) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of("manifest"), "missing", "a part 'manifest' with the manifest's JSON is required"));
        }
        try {
            ManifestRegistry.Outcome outcome = registry.register(manifest, files, by);
            return Response.status(outcome.created() ? Response.Status.CREATED : Response.Status.OK)
                    .entity(response(outcome.row()))
                    .build();
        } catch (ManifestRefusedException e) {
            throw new ValidationFailedException(e.fieldErrors());
        } catch (ManifestRegistry.VersionExistsException e) {
            throw new ApiException(409, VERSION_EXISTS, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("storing the models failed", e);
        }
    }

    @GET
    @Operation(summary = "Application versions registered from manifests", description = "Super-admins only.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description = "The caller is not a super-admin (AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    public List<RegisteredVersionResponse> list() {
        directory.caller(token).requireSuperAdmin();
        return registry.registered().stream()
                .map(ApplicationVersionsAdminResource::response)
                .toList();
    }

    @GET
    @Path("/{application_id}/{version}")
    @Operation(
            summary = "One version registered from a manifest, with its manifest",
            description = "Super-admins only.")
    @APIResponse(
            responseCode = "401",
            description = "Token missing, invalid, of another organization or without a required second factor")
    @APIResponse(
            responseCode = "403",
            description = "The caller is not a super-admin (AUTH.SUPER_ADMIN_REQUIRED) or is not registered")
    @APIResponse(responseCode = "404", description = "No such version was registered from a manifest")
    public RegisteredVersionResponse get(
            @PathParam("application_id") String applicationId, @PathParam("version") String version) {
        directory.caller(token).requireSuperAdmin();
        return registry.find(applicationId, version)
                .map(ApplicationVersionsAdminResource::response)
                .orElseThrow(() -> new ApiException(
                        404,
                        ApplicationAccess.VERSION_NOT_FOUND,
                        "no version '" + version + "' of application '" + applicationId
                                + "' was registered from a manifest"));
    }

    private static byte[] read(FileUpload part) {
        try {
            return Files.readAllBytes(part.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RegisteredVersionResponse response(RegisteredVersionRow row) {
        try {
            return new RegisteredVersionResponse(
                    row.applicationId(),
                    row.versionNumber(),
                    row.registeredAt(),
                    row.registeredBy(),
                    ContractsJson.mapper().readTree(row.manifestJson()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
