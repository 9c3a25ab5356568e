package org.tessera.orchestrator.application.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SemanticVersionTest {

    @Test
    void ordersBySemverPrecedence() {
        List<String> sorted = Stream.of(
                        "1.10.0",
                        "1.0.0",
                        "1.0.0-rc.1",
                        "1.0.0-alpha",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha.beta",
                        "1.0.0-beta.11",
                        "1.0.0-beta.2",
                        "1.0.0-beta",
                        "1.9.0",
                        "0.9.9+build.7")
                .map(SemanticVersion::of)
                .sorted()
                .map(SemanticVersion::text)
                .toList();

        assertThat(sorted)
                .containsExactly(
                        "0.9.9+build.7",
                        "1.0.0-alpha",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha.beta",
                        "1.0.0-beta",
                        "1.0.0-beta.2",
                        "1.0.0-beta.11",
                        "1.0.0-rc.1",
                        "1.0.0",
                        "1.9.0",
                        "1.10.0");
    }

    @Test
    void rejectsWhatTheSpecPatternRejects() {
        assertThat(SemanticVersion.parse("1.0")).isEmpty();
        assertThat(SemanticVersion.parse("01.0.0")).isEmpty();
        assertThat(SemanticVersion.parse("v1.0.0")).isEmpty();
        assertThat(SemanticVersion.parse(null)).isEmpty();
        assertThat(SemanticVersion.parse("1.0.0-x.7.z.92")).isPresent();
    }
}
