package org.tessera.localstack;

import java.util.List;
import java.util.Optional;

/** The organization and users the local stack configures the orchestrator with. */
public record Seed(String organizationId, String organizationName, StackUser admin, StackUser member) {

    /** The orchestrator's own default seed: organization {@code demo} with {@code demo-admin} and {@code demo-member}. */
    public static Seed standard() {
        String organization = "demo";
        return new Seed(
                organization,
                "Demo Laboratory",
                new StackUser("demo-admin", organization, "admin", "admin@demo.tessera.local"),
                new StackUser("demo-member", organization, "member", "member@demo.tessera.local"));
    }

    public List<StackUser> users() {
        return List.of(admin, member);
    }

    /** A seeded user by subject, or by role ({@code admin}, {@code member}) for short. */
    public Optional<StackUser> user(String subjectOrRole) {
        return users().stream()
                .filter(user ->
                        user.subject().equals(subjectOrRole) || user.role().equals(subjectOrRole))
                .findFirst();
    }
}
