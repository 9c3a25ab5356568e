package org.tessera.orchestrator.application.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An application that runs can be submitted to, with every version it offers.
 *
 * @param regulatoryClasses e.g. {@code RUO}
 * @param versions in any order; {@link #latestVersion()} picks by semantic-version precedence
 * @param free every organization has every version of a free application, without an assignment
 */
public record Application(
        String applicationId,
        String name,
        String description,
        List<String> regulatoryClasses,
        List<ApplicationVersion> versions,
        boolean free) {

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

    /** This application with only the versions that pass the filter (in the same order). */
    public Application withVersions(Predicate<ApplicationVersion> keep) {
        return new Application(
                applicationId,
                name,
                description,
                regulatoryClasses,
                versions.stream().filter(keep).toList(),
                free);
    }
}
