package org.tessera.loadtests.fleet;

import org.tessera.contracts.OutputArtifact;

/** Where a simulated worker's artifact goes: nowhere (only the row the orchestrator stores), or the object store. */
@FunctionalInterface
public interface ArtifactWriter {

    /** Writes (or not) the artifact under {@code key} and describes it for {@code item.succeeded}. */
    OutputArtifact write(String key);
}
