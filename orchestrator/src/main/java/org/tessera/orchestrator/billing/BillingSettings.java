package org.tessera.orchestrator.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code tessera.billing.*}. */
@ConfigMapping(prefix = "tessera.billing")
public interface BillingSettings {

    /** The ISO 4217 currency prices and ledger amounts are in. */
    @WithDefault("EUR")
    String currency();
}
