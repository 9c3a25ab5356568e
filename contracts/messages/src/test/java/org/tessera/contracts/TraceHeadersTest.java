package org.tessera.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceHeadersTest {

    private static final String SAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aWellFormedTraceparentIsValidAndNamesItsTrace() {
        assertThat(TraceHeaders.isValidTraceparent(SAMPLE)).isTrue();
        assertThat(TraceHeaders.traceId(SAMPLE)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void malformedOrAllZeroValuesAreInvalid() {
        assertThat(TraceHeaders.isValidTraceparent(null)).isFalse();
        assertThat(TraceHeaders.isValidTraceparent("")).isFalse();
        assertThat(TraceHeaders.isValidTraceparent(SAMPLE.toUpperCase())).isFalse();
        assertThat(TraceHeaders.isValidTraceparent("01" + SAMPLE.substring(2))).isFalse();
        assertThat(TraceHeaders.isValidTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .isFalse();
        assertThat(TraceHeaders.isValidTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
                .isFalse();
        assertThatThrownBy(() -> TraceHeaders.traceId("garbage"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'garbage'");
    }
}
