package org.tessera.localstack;

import java.util.List;
import java.util.Optional;

/** The organization and users the local stack configures the orchestrator with. */
public record Seed(String organizationId, String organizationName, StackUser admin, StackUser member) {

    public static Seed standard() {
        String organization = "local-org";
        return new Seed(
                organization,
                "Local Pathology Lab",
                new StackUser("admin", organization, "admin", "admin@local-lab.example"),
                new StackUser("member", organization, "member", "member@local-lab.example"));
    }

    public List<StackUser> users() {
        return List.of(admin, member);
    }

    public Optional<StackUser> user(String subject) {
        return users().stream().filter(user -> user.subject().equals(subject)).findFirst();
    }
}
