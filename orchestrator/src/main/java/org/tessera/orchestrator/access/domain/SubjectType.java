package org.tessera.orchestrator.access.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Who a grant is for (the API's {@code SubjectType}). */
public enum SubjectType {
    /** One user, by user id. */
    USER("user"),
    /** Every admin of an organization, by organization id. */
    ORGANIZATION_ADMIN("organization_admin"),
    /** Every user of an organization (admins included), by organization id. */
    ORGANIZATION_USER("organization_user"),
    /** Whoever presents a share token, by share token id. */
    SHARE_TOKEN("share_token");

    private final String wire;

    SubjectType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<SubjectType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(SubjectType::wire).toList();
    }
}
