package org.tessera.orchestrator.tenancy.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.tessera.orchestrator.tenancy.OrganizationAdministration;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/** What the admin API answers, as the served OpenAPI documents it. */
public final class AdminResponses {

    private AdminResponses() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(
            name = "AdminOrganization",
            description = "An organization, its domains and limits (null: unlimited). The bucket's HMAC secret is"
                    + " write-only.")
    public record OrganizationResponse(
            @Schema(required = true) String organizationId,
            @Schema(required = true) String name,
            String displayName,
            @Schema(required = true) List<String> domains,
            @Schema(required = true) boolean requireMfa,
            Integer maxUsers,
            Integer monthlyWsiLimit,
            Integer maxWsisPerRun,
            Integer maxParallelRuns,
            String bucketName,
            String bucketProtocol,
            String bucketHmacAccessKeyId,
            @Schema(required = true) boolean bucketHmacSecretAccessKeySet,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt) {

        static OrganizationResponse of(OrganizationRow o) {
            return new OrganizationResponse(
                    o.organizationId(),
                    o.name(),
                    o.displayName(),
                    o.domains(),
                    o.requireMfa(),
                    o.maxUsers(),
                    o.monthlyWsiLimit(),
                    o.maxWsisPerRun(),
                    o.maxParallelRuns(),
                    o.bucketName(),
                    o.bucketProtocol(),
                    o.bucketHmacAccessKeyId(),
                    o.bucketHmacSecretAccessKey() != null,
                    o.createdAt(),
                    o.updatedAt());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(
            name = "AdminUser",
            description = "A user of an organization. subject is null until the first sign-in binds it; limits that"
                    + " are null leave only the organization's.")
    public record UserResponse(
            @Schema(required = true) String userId,
            @Schema(required = true) String organizationId,
            @Schema(required = true) String email,
            @Schema(required = true) Role role,
            String name,
            String givenName,
            String familyName,
            String subject,
            Integer monthlyWsiLimit,
            Integer maxParallelRuns,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt) {

        static UserResponse of(UserRow u) {
            return new UserResponse(
                    u.userId(),
                    u.organizationId(),
                    u.email(),
                    u.role(),
                    u.name(),
                    u.givenName(),
                    u.familyName(),
                    u.subject(),
                    u.monthlyWsiLimit(),
                    u.maxParallelRuns(),
                    u.createdAt(),
                    u.updatedAt());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AdminOrganizationRegistration", description = "The registered organization and its first admin.")
    public record RegistrationResponse(
            @Schema(required = true) OrganizationResponse organization,
            @Schema(required = true) UserResponse firstAdmin) {

        static RegistrationResponse of(OrganizationAdministration.Registered registered) {
            return new RegistrationResponse(
                    OrganizationResponse.of(registered.organization()), UserResponse.of(registered.firstAdmin()));
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AdminMe", description = "The caller's user record (with their role) and organization.")
    public record MeResponse(
            @Schema(required = true) UserResponse user,
            @Schema(required = true) OrganizationResponse organization) {}

    @Schema(
            name = "AdminError",
            description = "A refusal: what is wrong, naming the field or quota, and a stable code.")
    public record ErrorResponse(
            @Schema(required = true) String detail,

            @Schema(required = true, examples = "TENANCY.DOMAIN_TAKEN")
            String code) {}

    @Schema(name = "AdminQuotaError", description = "A quota would be exceeded (402).")
    public record QuotaErrorResponse(
            @Schema(required = true) String detail,

            @Schema(required = true, examples = "QUOTA.USERS")
            String code,

            @Schema(required = true) Quota quota) {}

    @Schema(name = "AdminQuota", description = "The quota at fault, its limit and usage; period is null for users.")
    public record Quota(
            @Schema(required = true, examples = "users") String name,

            @Schema(required = true, examples = "organization")
            String scope,

            @Schema(required = true) String subject,
            @Schema(required = true) int limit,
            @Schema(required = true) int used,
            @Schema(required = true) int requested,
            String period) {}

    /** The API's own validation error shape, documented once in the 1.8.0 document. */
    @Schema(name = "AdminValidationError", ref = "HTTPValidationError")
    public interface HttpValidationError {}
}
