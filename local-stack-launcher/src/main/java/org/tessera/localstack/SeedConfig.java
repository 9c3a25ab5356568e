package org.tessera.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

/** The orchestrator's configuration that seeds the stack's organization and its users. */
final class SeedConfig {

    private SeedConfig() {}

    static Map<String, String> orchestratorProperties(Seed seed) {
        Map<String, String> config = new LinkedHashMap<>();
        String org = "tessera.seed.organizations." + seed.organizationId();
        config.put(org + ".name", seed.organizationName());
        for (StackUser user : seed.users()) {
            String prefix = "tessera.seed.users." + user.subject();
            config.put(prefix + ".organization", user.organizationId());
            config.put(prefix + ".role", user.role());
            config.put(prefix + ".email", user.email());
        }
        return config;
    }
}
