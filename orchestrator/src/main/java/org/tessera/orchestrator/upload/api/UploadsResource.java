package org.tessera.orchestrator.upload.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.tessera.objectstore.ObjectStore;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.IdGenerator;
import org.tessera.orchestrator.common.api.JsonBodies;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.tenancy.Caller;
import org.tessera.orchestrator.tenancy.Directory;
import org.tessera.orchestrator.upload.domain.UploadKeys;

/**
 * {@code POST /api/v1/uploads}: signed URLs into the organization's bucket for a client that has slides to submit.
 * For each file name the client gets a URL to PUT the bytes to and the URL to GET them back, which goes into the run
 * request's {@code download_url}. The keys lie under {@code uploads/<organization>/<user>/<upload id>/}, so a client
 * can neither overwrite another user's slides nor pick where in the bucket it writes.
 */
@Path("/api/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadsResource {

    @Inject
    JsonWebToken token;

    @Inject
    Directory directory;

    @Inject
    ObjectStore objectStore;

    @Inject
    IdGenerator ids;

    @Inject
    Clock clock;

    /** How long the client has to PUT each file. */
    @ConfigProperty(name = "tessera.uploads.upload-url-ttl", defaultValue = "PT1H")
    Duration uploadUrlTtl;

    /**
     * How long the worker can read the file: runs may wait behind the organization's parallel-run limit, so this is
     * far longer than the upload's.
     */
    @ConfigProperty(name = "tessera.uploads.download-url-ttl", defaultValue = "PT24H")
    Duration downloadUrlTtl;

    public record UploadFile(
            String name,
            @JsonProperty("object_key") String objectKey,
            @JsonProperty("upload_url") URI uploadUrl,
            @JsonProperty("download_url") URI downloadUrl) {}

    public record UploadResponse(
            @JsonProperty("upload_id") UUID uploadId,
            @JsonProperty("upload_expires_at") Instant uploadExpiresAt,
            @JsonProperty("download_expires_at") Instant downloadExpiresAt,
            List<UploadFile> files) {}

    @POST
    @Consumes(MediaType.WILDCARD)
    public UploadResponse create(byte[] body) {
        ObjectNode request = JsonBodies.object(body);
        List<String> names = names(request);
        Caller caller = directory.caller(token);
        UUID uploadId = ids.next();
        UploadKeys.Plan plan = UploadKeys.plan(caller.organizationId(), caller.userId(), uploadId, names);
        if (!plan.problems().isEmpty()) {
            throw new ValidationFailedException(plan.problems().stream()
                    .map(p -> FieldError.body(List.of("files", p.index(), "name"), p.type(), p.message()))
                    .toList());
        }
        Instant now = clock.instant();
        List<UploadFile> files = new ArrayList<>();
        for (UploadKeys.PlannedFile file : plan.files()) {
            files.add(new UploadFile(
                    file.name(),
                    file.key(),
                    objectStore.presignPut(file.key(), uploadUrlTtl),
                    objectStore.presignGet(file.key(), downloadUrlTtl)));
        }
        return new UploadResponse(uploadId, now.plus(uploadUrlTtl), now.plus(downloadUrlTtl), files);
    }

    private static List<String> names(ObjectNode request) {
        JsonNode files = request.get("files");
        if (files == null || files.isNull()) {
            throw ValidationFailedException.of(FieldError.body(List.of("files"), "missing", "field required"));
        }
        if (!files.isArray()) {
            throw ValidationFailedException.of(FieldError.body(List.of("files"), "list_type", "must be a list"));
        }
        if (files.isEmpty() || files.size() > UploadKeys.MAX_FILES) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of("files"),
                    files.isEmpty() ? "too_short" : "too_long",
                    "must hold 1 to " + UploadKeys.MAX_FILES + " files, not " + files.size()));
        }
        List<String> names = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            JsonNode name = files.get(i).path("name");
            if (!name.isTextual()) {
                errors.add(FieldError.body(
                        List.of("files", i, "name"), "string_type", "each file needs a \"name\" string"));
                names.add(null);
            } else {
                names.add(name.asText());
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
        return names;
    }
}
