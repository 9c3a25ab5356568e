package org.tessera.contracts;

import java.util.List;

/** The item was processed; its outputs are in the object store. */
public record ItemSucceeded(int attempt, String workerId, List<OutputArtifact> outputArtifacts) implements ItemEvent {

    public static final String TYPE = "item.succeeded";

    @Override
    public String type() {
        return TYPE;
    }
}
