package org.tessera.contracts.tracing;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;
import java.util.List;

/**
 * Turns tracing on exactly when an OTLP endpoint is configured: unless {@code quarkus.otel.sdk.disabled} is set
 * explicitly, it reads {@code true} while neither {@code quarkus.otel.exporter.otlp.traces.endpoint} nor
 * {@code quarkus.otel.exporter.otlp.endpoint} is set. Quarkus would otherwise export to {@code localhost:4317} and log
 * a failed export every few seconds wherever no collector runs (tests, the local stack). Both services load it through
 * this module's {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
@Priority(100)
public class TracingSwitch implements ConfigSourceInterceptor {

    public static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    /** Where an OTLP endpoint may be configured, the traces' own first. */
    public static final List<String> ENDPOINTS =
            List.of("quarkus.otel.exporter.otlp.traces.endpoint", "quarkus.otel.exporter.otlp.endpoint");

    /** Defaults of extensions live in config sources ordered below every source a person writes to. */
    private static final int LOWEST_USER_ORDINAL = 100;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!SDK_DISABLED.equals(name) || isSet(value)) {
            return value;
        }
        boolean endpoint = ENDPOINTS.stream().map(context::proceed).anyMatch(TracingSwitch::isSet);
        return ConfigValue.builder()
                .withName(name)
                .withValue(Boolean.toString(!endpoint))
                .withConfigSourceName(TracingSwitch.class.getSimpleName())
                .withConfigSourceOrdinal(Integer.MIN_VALUE)
                .build();
    }

    private static boolean isSet(ConfigValue value) {
        return value != null
                && value.getValue() != null
                && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() >= LOWEST_USER_ORDINAL;
    }
}
