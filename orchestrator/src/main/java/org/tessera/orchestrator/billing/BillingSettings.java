package org.tessera.orchestrator.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code tessera.billing.*}. */
@ConfigMapping(prefix = "tessera.billing")
public interface BillingSettings {

    /** The ISO 4217 currency prices and ledger amounts are in. */
    @WithDefault("EUR")
    String currency();

    /**
     * Whether succeeded items are charged at all. Only for measuring what the ledger costs (docs/benchmarks.md); a
     * platform that bills its organizations leaves it on.
     */
    @WithName("ledger-enabled")
    @WithDefault("true")
    boolean ledgerEnabled();
}
