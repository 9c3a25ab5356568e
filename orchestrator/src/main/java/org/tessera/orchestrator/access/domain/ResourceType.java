package org.tessera.orchestrator.access.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a grant is on (the API's {@code ResourceType}). Only runs can be shared; see docs/organizations.md. */
public enum ResourceType {
    RUN("run"),
    ITEM("item"),
    OUTPUT_ARTIFACT("output_artifact"),
    SHARE_TOKEN("share_token");

    private final String wire;

    ResourceType(String wire) {
        this.wire = wire;
    }

    /** The name the API and the database use. */
    public String wire() {
        return wire;
    }

    public static Optional<ResourceType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ResourceType::wire).toList();
    }
}
