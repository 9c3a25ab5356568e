package org.tessera.orchestrator.application.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An application that runs can be submitted to, with every version it offers.
 *
 * @param regulatoryClasses e.g. {@code RUO}
 * @param versions in any order; {@link #latestVersion()} picks by semantic-version precedence
 */
public record Application(
        String applicationId,
        String name,
        String description,
        List<String> regulatoryClasses,
        List<ApplicationVersion> versions) {

    public Application {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        regulatoryClasses = List.copyOf(regulatoryClasses);
        versions = versions.stream()
                .sorted(Comparator.comparing(ApplicationVersion::semanticVersion))
                .toList();
    }

    public Optional<ApplicationVersion> latestVersion() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.getLast());
    }

    public Optional<ApplicationVersion> version(String number) {
        return versions.stream().filter(v -> v.number().equals(number)).findFirst();
    }
}
