package org.tessera.contracts.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSwitchTest {

    /** What quarkus-opentelemetry's own defaults say, in a source below every one a person writes to. */
    private static final Map<String, String> EXTENSION_DEFAULTS = Map.of(
            "quarkus.otel.sdk.disabled", "false",
            "quarkus.otel.exporter.otlp.traces.endpoint", "http://localhost:4317/",
            "quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317/");

    private static boolean sdkDisabled(Map<String, String> configured) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withInterceptors(new TracingSwitch())
                .withSources(new PropertiesConfigSource(EXTENSION_DEFAULTS, "defaults", Integer.MIN_VALUE + 100))
                .withSources(new PropertiesConfigSource(new HashMap<>(configured), "application", 250))
                .build();
        return config.getValue("quarkus.otel.sdk.disabled", Boolean.class);
    }

    @Test
    void withoutAnEndpointTheSdkStaysOff() {
        assertThat(sdkDisabled(Map.of())).isTrue();
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", " ")))
                .isTrue();
    }

    @Test
    void anEndpointTurnsItOn() {
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4317")))
                .isFalse();
        assertThat(sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4318")))
                .isFalse();
    }

    @Test
    void anExplicitSettingWins() {
        assertThat(sdkDisabled(Map.of(
                        "quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4317",
                        "quarkus.otel.sdk.disabled", "true")))
                .isTrue();
        assertThat(sdkDisabled(Map.of("quarkus.otel.sdk.disabled", "false"))).isFalse();
    }
}
