package org.tessera.orchestrator.access.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a grant allows (the API's {@code GrantRelation}). Only {@link #VIEWER} grants can be created. */
public enum GrantRelation {
    OWNER("owner"),
    EDITOR("editor"),
    VIEWER("viewer");

    private final String wire;

    GrantRelation(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<GrantRelation> fromWire(String value) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(value)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(GrantRelation::wire).toList();
    }
}
