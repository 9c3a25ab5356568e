package org.tessera.orchestrator.application;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The application versions assigned to seeded organizations at start, beside the rest of their seed
 * ({@code tenancy.SeedConfig}):
 *
 * <pre>
 * tessera.seed.organizations.&lt;org-id&gt;.applications=he-tme:1.0.0,other-app:2.1.0
 * </pre>
 */
@ConfigMapping(prefix = "tessera.seed")
public interface ApplicationSeedConfig {

    Map<String, Organization> organizations();

    interface Organization {
        /** {@code <application-id>:<version>} entries. */
        Optional<List<String>> applications();
    }
}
