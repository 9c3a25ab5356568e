package org.tessera.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The organizations and users the local stack configures the orchestrator with: two laboratories with different
 * quotas (one without {@code he-tme}), each with an admin and a member, and the platform's operator.
 */
public record Seed(List<Organization> organizations, StackUser operator) {

    /**
     * One seeded organization.
     *
     * @param monthlyWsiLimit WSIs per calendar month, null for unlimited
     * @param maxParallelRuns runs at once, null for unlimited
     * @param maxWsisPerRun WSIs in one run, null for the platform's maximum
     * @param applications paid application versions it has ({@code <app>:<version>}); free ones come with every
     *     organization
     */
    public record Organization(
            String id,
            String name,
            String domain,
            Integer monthlyWsiLimit,
            Integer maxParallelRuns,
            Integer maxWsisPerRun,
            List<String> applications,
            StackUser admin,
            StackUser member) {

        public List<StackUser> users() {
            return List.of(admin, member);
        }
    }

    public static final String OPERATOR_ORGANIZATION = "platform";

    /** {@code demo} (he-tme, 1,000 WSIs a month) and {@code northside} (test-app only, 100 a month), plus an operator. */
    public static Seed standard() {
        return new Seed(
                List.of(
                        organization("demo", "Demo Laboratory", 1_000, 5, null, List.of("he-tme:1.0.0")),
                        organization("northside", "Northside Pathology", 100, 2, 50, List.of())),
                new StackUser("operator", OPERATOR_ORGANIZATION, "super_admin", "operator@ops.tessera.local"));
    }

    private static Organization organization(
            String id,
            String name,
            Integer monthlyWsiLimit,
            Integer maxParallelRuns,
            Integer maxWsisPerRun,
            List<String> applications) {
        String domain = id + ".tessera.local";
        return new Organization(
                id,
                name,
                domain,
                monthlyWsiLimit,
                maxParallelRuns,
                maxWsisPerRun,
                applications,
                new StackUser(id + "-admin", id, "admin", "admin@" + domain),
                new StackUser(id + "-member", id, "member", "member@" + domain));
    }

    /** The first organization: the one the demo runs in. */
    public Organization primary() {
        return organizations.getFirst();
    }

    public StackUser admin() {
        return primary().admin();
    }

    public StackUser member() {
        return primary().member();
    }

    public List<StackUser> users() {
        List<StackUser> users = new ArrayList<>();
        organizations.forEach(organization -> users.addAll(organization.users()));
        users.add(operator);
        return users;
    }

    /** A seeded user by subject, or by role ({@code admin}, {@code member}) for the primary organization's. */
    public Optional<StackUser> user(String subjectOrRole) {
        return users().stream()
                .filter(user -> user.subject().equals(subjectOrRole))
                .findFirst()
                .or(() -> primary().users().stream()
                        .filter(user -> user.role().equals(subjectOrRole))
                        .findFirst());
    }
}
