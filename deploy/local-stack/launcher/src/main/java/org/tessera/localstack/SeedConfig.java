package org.tessera.localstack;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The orchestrator's configuration that seeds the stack's organizations and users ({@code tessera.seed.*}, see the
 * orchestrator's application.properties). Given explicitly so that the stack's tokens and the orchestrator's users
 * agree even if the orchestrator's defaults change.
 */
final class SeedConfig {

    private SeedConfig() {}

    static Map<String, String> orchestratorProperties(Seed seed) {
        Map<String, String> config = new LinkedHashMap<>();
        organization(config, Seed.OPERATOR_ORGANIZATION, "Tessera Operators", "ops.tessera.local");
        for (Seed.Organization organization : seed.organizations()) {
            String prefix = organization(config, organization.id(), organization.name(), organization.domain());
            optional(config, prefix + ".monthly-wsi-limit", organization.monthlyWsiLimit());
            optional(config, prefix + ".max-parallel-runs", organization.maxParallelRuns());
            optional(config, prefix + ".max-wsis-per-run", organization.maxWsisPerRun());
            if (!organization.applications().isEmpty()) {
                config.put(prefix + ".applications", String.join(",", organization.applications()));
            }
        }
        for (StackUser user : seed.users()) {
            String prefix = "tessera.seed.users." + user.subject();
            config.put(prefix + ".organization", user.organizationId());
            config.put(prefix + ".role", user.role().toUpperCase(Locale.ROOT));
            config.put(prefix + ".email", user.email());
        }
        return config;
    }

    private static String organization(Map<String, String> config, String id, String name, String domain) {
        String prefix = "tessera.seed.organizations." + id;
        config.put(prefix + ".name", name);
        config.put(prefix + ".domains", domain);
        return prefix;
    }

    private static void optional(Map<String, String> config, String key, Integer value) {
        if (value != null) {
            config.put(key, value.toString());
        }
    }
}
