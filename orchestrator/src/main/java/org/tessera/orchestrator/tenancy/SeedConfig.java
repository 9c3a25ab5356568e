package org.tessera.orchestrator.tenancy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tessera.orchestrator.tenancy.domain.Role;

/**
 * Organizations and users created at start when they do not exist yet (what exists is never overwritten: after the
 * first start, the admin API owns them):
 *
 * <pre>
 * tessera.seed.organizations.&lt;org-id&gt;.name=Demo Laboratory
 * tessera.seed.organizations.&lt;org-id&gt;.domains=demo.example.org
 * tessera.seed.users.&lt;user-id&gt;.organization=&lt;org-id&gt;
 * tessera.seed.users.&lt;user-id&gt;.email=admin@demo.example.org
 * tessera.seed.users.&lt;user-id&gt;.role=SUPER_ADMIN|ADMIN|MEMBER
 * </pre>
 *
 * A seeded user's subject (the token's {@code sub}) is their id unless {@code subject} says otherwise. Ids containing
 * dots or other special characters must be quoted, e.g. {@code tessera.seed.users."auth0|123".role=ADMIN}.
 */
@ConfigMapping(prefix = "tessera.seed")
public interface SeedConfig {

    Map<String, Organization> organizations();

    Map<String, User> users();

    interface Organization {
        String name();

        Optional<String> displayName();

        /** Email domains of its users. */
        List<String> domains();

        @WithDefault("true")
        boolean requireMfa();

        /** Bucket clients upload slides to (shown by {@code GET /v1/me}). */
        @WithDefault("tessera-slides")
        String bucketName();

        @WithDefault("http")
        String bucketProtocol();

        Optional<String> bucketHmacAccessKeyId();

        Optional<String> bucketHmacSecretAccessKey();

        Optional<Integer> maxUsers();

        Optional<Integer> monthlyWsiLimit();

        Optional<Integer> maxWsisPerRun();

        Optional<Integer> maxParallelRuns();
    }

    interface User {
        String organization();

        Optional<String> subject();

        String email();

        @WithDefault("MEMBER")
        Role role();

        Optional<String> name();

        Optional<String> givenName();

        Optional<String> familyName();

        Optional<Integer> monthlyWsiLimit();

        Optional<Integer> maxParallelRuns();
    }
}
