package org.tessera.orchestrator.application.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorThresholdTest {

    @ParameterizedTest(name = "{0} items, min {1}, {2} % -> {3}")
    @CsvSource({
        // Small runs: the minimum rules.
        "1, 10, 25, 10",
        "40, 10, 25, 10",
        // ceil(25 % of 41) = ceil(10.25) = 11 beats the minimum.
        "41, 10, 25, 11",
        "100, 10, 25, 25",
        "500, 10, 25, 125",
        // Percent 0: only the minimum; minimum 0: only the share.
        "500, 3, 0, 3",
        "7, 0, 10, 1",
        "0, 0, 50, 0",
        // 100 % of the run can fail without cancelling it.
        "500, 0, 100, 500"
    })
    void theThresholdIsTheLargerOfTheMinimumAndTheShareRoundedUp(int items, int min, int percent, int expected) {
        assertThat(new ErrorThreshold(min, percent).limitFor(items)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-1, 25", "10, -1", "10, 101"})
    void outOfRangePartsAreRefused(int min, int percent) {
        assertThatThrownBy(() -> new ErrorThreshold(min, percent)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource(
            value = {"null, null, 10, 25", "2, null, 2, 25", "null, 50, 10, 50", "0, 0, 0, 0"},
            nullValues = "null")
    void anOverrideReplacesOnlyThePartsItSets(Integer min, Integer percent, int expectedMin, int expectedPercent) {
        assertThat(ErrorThreshold.DEFAULT.overriddenBy(min, percent))
                .isEqualTo(new ErrorThreshold(expectedMin, expectedPercent));
    }
}
