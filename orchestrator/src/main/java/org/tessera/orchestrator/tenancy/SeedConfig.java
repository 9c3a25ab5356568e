package org.tessera.orchestrator.tenancy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/**
 * Organizations and users seeded by configuration (tenancy management is a later feature):
 *
 * <pre>
 * tessera.seed.organizations.&lt;org-id&gt;.name=Demo Laboratory
 * tessera.seed.users.&lt;user-id&gt;.organization=&lt;org-id&gt;
 * tessera.seed.users.&lt;user-id&gt;.role=ADMIN|MEMBER
 * </pre>
 *
 * User ids are JWT {@code sub} values; ids containing dots or other special characters must be quoted, e.g.
 * {@code tessera.seed.users."auth0|123".role=ADMIN}.
 */
@ConfigMapping(prefix = "tessera.seed")
public interface SeedConfig {

    Map<String, Organization> organizations();

    Map<String, User> users();

    interface Organization {
        String name();

        Optional<String> displayName();

        /** Bucket clients upload slides to (shown by {@code GET /v1/me}). */
        @WithDefault("tessera-slides")
        String bucketName();

        @WithDefault("http")
        String bucketProtocol();

        Optional<String> bucketHmacAccessKeyId();

        Optional<String> bucketHmacSecretAccessKey();
    }

    interface User {
        String organization();

        @WithDefault("MEMBER")
        Role role();

        Optional<String> email();

        Optional<String> name();

        Optional<String> givenName();

        Optional<String> familyName();
    }

    enum Role {
        ADMIN,
        MEMBER
    }
}
