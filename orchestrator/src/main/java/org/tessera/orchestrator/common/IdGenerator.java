package org.tessera.orchestrator.common;

import java.util.UUID;

/** Fresh ids for new runs and items; injected so tests can make them predictable. */
@FunctionalInterface
public interface IdGenerator {

    UUID next();
}
