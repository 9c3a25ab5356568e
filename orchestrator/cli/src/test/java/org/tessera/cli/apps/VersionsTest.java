package org.tessera.cli.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void theHighestIsBySemverNumbersWithReleasesAbovePreReleases() {
        assertThat(Versions.highest(List.of("1.0.0", "1.10.0", "1.9.3"))).isEqualTo("1.10.0");
        assertThat(Versions.highest(List.of("2.0.0-rc1", "1.9.9"))).isEqualTo("2.0.0-rc1");
        assertThat(Versions.highest(List.of("2.0.0-rc1", "2.0.0"))).isEqualTo("2.0.0");
    }
}
