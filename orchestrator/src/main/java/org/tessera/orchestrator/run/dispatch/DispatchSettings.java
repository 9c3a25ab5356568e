package org.tessera.orchestrator.run.dispatch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tessera.scheduler.*}: how many slide jobs may be out at once, and how the dispatcher and watchdog run. */
@ConfigMapping(prefix = "tessera.scheduler")
public interface DispatchSettings {

    /**
     * Items dispatched (their slide job on Kafka) and not yet finished, across the platform. About twice the workers:
     * each has one job at work and one waiting, while the rest of the backlog waits in the database where it can still
     * be reordered fairly.
     */
    @WithDefault("16")
    int maxInFlight();

    /** How often the dispatcher looks for free places when no commit in this process woke it. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** False stops this replica from dispatching (another replica does it). */
    @WithDefault("true")
    boolean enabled();

    /**
     * How old the waiting line behind the API's queue positions ({@code num_preceding_items_*},
     * {@code queue_position_*}) may be. Reads within this age share one computation of the line instead of each
     * reading every open run; a read after it is answered from the line it has while a new one is computed in the
     * background (up to three times this age). PT0S computes it for every read.
     */
    @WithDefault("PT1S")
    Duration queuePositionsMaxAge();

    /** How often the deadline watchdog looks for open runs past their {@code scheduling.deadline}. */
    @WithDefault("PT10S")
    Duration deadlineCheckInterval();
}
