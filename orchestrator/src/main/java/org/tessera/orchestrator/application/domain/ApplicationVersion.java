package org.tessera.orchestrator.application.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of an application: what it takes as input and what it writes.
 *
 * @param errorThreshold when a run of this version is cancelled for failed items (organizations may override it)
 */
public record ApplicationVersion(
        String number,
        Instant releasedAt,
        String changelog,
        List<ArtifactSpec> inputArtifacts,
        List<ArtifactSpec> outputArtifacts,
        ErrorThreshold errorThreshold) {

    public ApplicationVersion {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(releasedAt, "releasedAt");
        Objects.requireNonNull(changelog, "changelog");
        inputArtifacts = List.copyOf(inputArtifacts);
        outputArtifacts = List.copyOf(outputArtifacts);
        Objects.requireNonNull(errorThreshold, "errorThreshold");
        SemanticVersion.of(number);
    }

    /** A version with the platform's default error threshold. */
    public ApplicationVersion(
            String number,
            Instant releasedAt,
            String changelog,
            List<ArtifactSpec> inputArtifacts,
            List<ArtifactSpec> outputArtifacts) {
        this(number, releasedAt, changelog, inputArtifacts, outputArtifacts, ErrorThreshold.DEFAULT);
    }

    public SemanticVersion semanticVersion() {
        return SemanticVersion.of(number);
    }

    public Optional<ArtifactSpec> inputArtifact(String name) {
        return inputArtifacts.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public Optional<ArtifactSpec> outputArtifact(String name) {
        return outputArtifacts.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
