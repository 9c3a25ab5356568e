package org.tessera.orchestrator.application.domain;

import java.util.Objects;

/** One version of one application, e.g. {@code he-tme 1.0.0}. */
public record VersionRef(String applicationId, String versionNumber) {

    public VersionRef {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(versionNumber, "versionNumber");
    }

    @Override
    public String toString() {
        return applicationId + " " + versionNumber;
    }
}
