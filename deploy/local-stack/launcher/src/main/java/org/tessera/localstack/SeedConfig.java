package org.tessera.localstack;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The orchestrator's configuration that seeds the stack's organization and users ({@code tessera.seed.*}, see the
 * orchestrator's application.properties). Given explicitly so that the stack's tokens and the orchestrator's users
 * agree even if the orchestrator's defaults change.
 */
final class SeedConfig {

    private SeedConfig() {}

    static Map<String, String> orchestratorProperties(Seed seed) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("tessera.seed.organizations." + seed.organizationId() + ".name", seed.organizationName());
        config.put(
                "tessera.seed.organizations." + seed.organizationId() + ".domains",
                String.join(
                        ",",
                        seed.users().stream()
                                .map(user -> user.email().substring(user.email().indexOf('@') + 1))
                                .distinct()
                                .toList()));
        for (StackUser user : seed.users()) {
            String prefix = "tessera.seed.users." + user.subject();
            config.put(prefix + ".organization", user.organizationId());
            config.put(prefix + ".role", user.role().toUpperCase(Locale.ROOT));
            config.put(prefix + ".email", user.email());
        }
        return config;
    }
}
