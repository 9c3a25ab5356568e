package org.tessera.orchestrator.tenancy.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.tessera.orchestrator.common.api.JsonBody;
import org.tessera.orchestrator.tenancy.OrganizationAdministration;
import org.tessera.orchestrator.tenancy.UserAdministration;
import org.tessera.orchestrator.tenancy.domain.Change;
import org.tessera.orchestrator.tenancy.domain.Role;

/**
 * The admin API's request bodies: the records document them in the served OpenAPI, the readers turn a body into the
 * administration's commands. A body's accepted fields are its record's components, so the two cannot drift apart.
 */
final class AdminRequests {

    static final Pattern ORGANIZATION_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@|:+-]{0,127}");
    private static final String ORGANIZATION_ID_RULE =
            "1 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit";
    private static final String USER_ID_RULE =
            "1 to 128 letters, digits or . _ @ | : + -, starting with a letter or digit";
    private static final int NAME_LENGTH = 200;
    private static final int TEXT_LENGTH = 500;
    private static final int UNBOUNDED = Integer.MAX_VALUE;

    private AdminRequests() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AdminOrganizationRegistrationRequest", description = "An organization with its first admin.")
    record OrganizationRegistrationRequest(
            @Schema(required = true, pattern = "^[a-z0-9][a-z0-9_-]{0,62}$", examples = "acme-pathology")
            String organizationId,

            @Schema(required = true, examples = "Acme Pathology")
            String name,

            @Schema(description = "Public name; the name when null")
            String displayName,

            @Schema(required = true, description = "Email domains of its users; none may be personal mail")
            List<String> domains,

            @Schema(description = "Whether tokens must prove a second factor", defaultValue = "true")
            Boolean requireMfa,

            @Schema(minimum = "1", description = "Most active users; null: unlimited")
            Integer maxUsers,

            @Schema(minimum = "0", description = "WSIs per calendar month (UTC); null: unlimited")
            Integer monthlyWsiLimit,

            @Schema(minimum = "1", description = "WSIs per run, at most the platform's; null: the platform's")
            Integer maxWsisPerRun,

            @Schema(minimum = "1", description = "Runs in progress at once; null: unlimited")
            Integer maxParallelRuns,

            @Schema(description = "Bucket its users upload slides to (GET /v1/me)")
            String bucketName,

            String bucketProtocol,
            String bucketHmacAccessKeyId,
            @Schema(writeOnly = true) String bucketHmacSecretAccessKey,
            @Schema(required = true) FirstAdminRequest firstAdmin) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(
            name = "AdminFirstAdminRequest",
            description = "The organization's first admin. Without subject, the user is bound at first sign-in by"
                    + " verified email.")
    record FirstAdminRequest(
            @Schema(required = true, description = "On one of the organization's domains")
            String email,

            @Schema(required = true) String name,
            String givenName,
            String familyName,

            @Schema(description = "Platform user id; drawn when absent")
            String userId,

            @Schema(description = "The identity provider's sub, when known")
            String subject) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(
            name = "AdminOrganizationUpdateRequest",
            description = "Fields to change; absent fields stay, null limits become unlimited.")
    record OrganizationUpdateRequest(
            String name,
            String displayName,

            @Schema(description = "Replaces the domains; a domain in use by an active user cannot be dropped")
            List<String> domains,

            Boolean requireMfa,
            @Schema(minimum = "1") Integer maxUsers,
            @Schema(minimum = "0") Integer monthlyWsiLimit,
            @Schema(minimum = "1") Integer maxWsisPerRun,
            @Schema(minimum = "1") Integer maxParallelRuns,
            String bucketName,
            String bucketProtocol,
            String bucketHmacAccessKeyId,
            @Schema(writeOnly = true) String bucketHmacSecretAccessKey) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(
            name = "AdminUserCreationRequest",
            description = "A user of the organization. Without subject, the user is bound at first sign-in by"
                    + " verified email.")
    record UserCreationRequest(
            @Schema(required = true, description = "On one of the organization's domains")
            String email,

            @Schema(required = true) String name,
            String givenName,
            String familyName,

            @Schema(
                    description = "ADMIN or MEMBER (SUPER_ADMIN: operators' organization only)",
                    defaultValue = "MEMBER")
            Role role,

            @Schema(minimum = "0", description = "WSIs per calendar month; null: only the organization's limit")
            Integer monthlyWsiLimit,

            @Schema(minimum = "1", description = "Runs in progress at once; null: only the organization's limit")
            Integer maxParallelRuns,

            @Schema(description = "Platform user id; drawn when absent")
            String userId,

            @Schema(description = "The identity provider's sub, when known")
            String subject) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(
            name = "AdminUserUpdateRequest",
            description = "Fields to change; absent fields stay, null limits leave only the organization's.")
    record UserUpdateRequest(
            Role role,
            String name,
            String givenName,
            String familyName,
            @Schema(minimum = "0") Integer monthlyWsiLimit,
            @Schema(minimum = "1") Integer maxParallelRuns) {}

    static OrganizationAdministration.Registration registration(JsonBody body) {
        body.acceptOnly(fieldsOf(OrganizationRegistrationRequest.class));
        JsonBody admin = body.requiredObject("first_admin");
        if (admin != null) {
            admin.acceptOnly(fieldsOf(FirstAdminRequest.class));
        }
        OrganizationAdministration.Registration registration = new OrganizationAdministration.Registration(
                body.requiredText("organization_id", 63, ORGANIZATION_ID, ORGANIZATION_ID_RULE),
                body.requiredText("name", NAME_LENGTH),
                body.optionalText("display_name", NAME_LENGTH),
                body.requiredTexts("domains"),
                body.optionalBoolean("require_mfa"),
                body.optionalInteger("max_users", 1, UNBOUNDED),
                body.optionalInteger("monthly_wsi_limit", 0, UNBOUNDED),
                body.optionalInteger("max_wsis_per_run", 1, UNBOUNDED),
                body.optionalInteger("max_parallel_runs", 1, UNBOUNDED),
                new OrganizationAdministration.Bucket(
                        body.optionalText("bucket_name", TEXT_LENGTH),
                        body.optionalText("bucket_protocol", TEXT_LENGTH),
                        body.optionalText("bucket_hmac_access_key_id", TEXT_LENGTH),
                        body.optionalText("bucket_hmac_secret_access_key", TEXT_LENGTH)),
                admin == null
                        ? null
                        : new UserAdministration.NewUser(
                                admin.optionalText("user_id", 128, USER_ID, USER_ID_RULE),
                                admin.optionalText("subject", TEXT_LENGTH),
                                admin.requiredText("email", 320),
                                Role.ADMIN,
                                admin.requiredText("name", NAME_LENGTH),
                                admin.optionalText("given_name", NAME_LENGTH),
                                admin.optionalText("family_name", NAME_LENGTH),
                                null,
                                null));
        body.throwIfInvalid();
        return registration;
    }

    static OrganizationAdministration.Changes organizationChanges(JsonBody body) {
        body.acceptOnly(fieldsOf(OrganizationUpdateRequest.class));
        OrganizationAdministration.Changes changes = new OrganizationAdministration.Changes(
                change(body, "name", () -> body.requiredText("name", NAME_LENGTH)),
                change(body, "display_name", () -> body.optionalText("display_name", NAME_LENGTH)),
                change(body, "domains", () -> body.requiredTexts("domains")),
                change(body, "require_mfa", () -> body.requiredBoolean("require_mfa")),
                change(body, "max_users", () -> body.optionalInteger("max_users", 1, UNBOUNDED)),
                change(body, "monthly_wsi_limit", () -> body.optionalInteger("monthly_wsi_limit", 0, UNBOUNDED)),
                change(body, "max_wsis_per_run", () -> body.optionalInteger("max_wsis_per_run", 1, UNBOUNDED)),
                change(body, "max_parallel_runs", () -> body.optionalInteger("max_parallel_runs", 1, UNBOUNDED)),
                change(body, "bucket_name", () -> body.optionalText("bucket_name", TEXT_LENGTH)),
                change(body, "bucket_protocol", () -> body.optionalText("bucket_protocol", TEXT_LENGTH)),
                change(
                        body,
                        "bucket_hmac_access_key_id",
                        () -> body.optionalText("bucket_hmac_access_key_id", TEXT_LENGTH)),
                change(
                        body,
                        "bucket_hmac_secret_access_key",
                        () -> body.optionalText("bucket_hmac_secret_access_key", TEXT_LENGTH)));
        body.throwIfInvalid();
        return changes;
    }

    static UserAdministration.NewUser newUser(JsonBody body) {
        body.acceptOnly(fieldsOf(UserCreationRequest.class));
        UserAdministration.NewUser user = new UserAdministration.NewUser(
                body.optionalText("user_id", 128, USER_ID, USER_ID_RULE),
                body.optionalText("subject", TEXT_LENGTH),
                body.requiredText("email", 320),
                body.optionalEnum("role", Role.class),
                body.requiredText("name", NAME_LENGTH),
                body.optionalText("given_name", NAME_LENGTH),
                body.optionalText("family_name", NAME_LENGTH),
                body.optionalInteger("monthly_wsi_limit", 0, UNBOUNDED),
                body.optionalInteger("max_parallel_runs", 1, UNBOUNDED));
        body.throwIfInvalid();
        return user;
    }

    static UserAdministration.Changes userChanges(JsonBody body) {
        body.acceptOnly(fieldsOf(UserUpdateRequest.class));
        UserAdministration.Changes changes = new UserAdministration.Changes(
                change(body, "role", () -> body.requiredEnum("role", Role.class)),
                change(body, "name", () -> body.optionalText("name", NAME_LENGTH)),
                change(body, "given_name", () -> body.optionalText("given_name", NAME_LENGTH)),
                change(body, "family_name", () -> body.optionalText("family_name", NAME_LENGTH)),
                change(body, "monthly_wsi_limit", () -> body.optionalInteger("monthly_wsi_limit", 0, UNBOUNDED)),
                change(body, "max_parallel_runs", () -> body.optionalInteger("max_parallel_runs", 1, UNBOUNDED)));
        body.throwIfInvalid();
        return changes;
    }

    /** The body's field names for a request record: its components in snake_case. */
    static Set<String> fieldsOf(Class<? extends Record> request) {
        return Arrays.stream(request.getRecordComponents())
                .map(component ->
                        component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static <T> Change<T> change(JsonBody body, String field, Supplier<T> read) {
        return body.has(field) ? Change.to(read.get()) : Change.keep();
    }
}
