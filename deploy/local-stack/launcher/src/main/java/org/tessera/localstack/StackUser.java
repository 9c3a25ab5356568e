package org.tessera.localstack;

/**
 * A user seeded into the local stack's organization.
 *
 * @param subject the token's {@code sub}, shown as a run's {@code submitted_by}
 * @param organizationId the token's {@code org_id}
 * @param role {@code admin} or {@code member}
 * @param email how the user would be invited; only informational here
 */
public record StackUser(String subject, String organizationId, String role, String email) {}
