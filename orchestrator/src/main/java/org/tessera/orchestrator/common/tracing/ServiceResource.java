package org.tessera.orchestrator.common.tracing;

import io.opentelemetry.sdk.resources.Resource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.tessera.contracts.tracing.TracingSwitch;

/**
 * Resource attributes of the orchestrator's spans beside {@code service.name} ({@code quarkus.otel.service.name}):
 * its version and this replica's instance id, the host name (the pod's name on Kubernetes) unless
 * {@code tessera.tracing.instance-id} names it.
 */
@Singleton
class ServiceResource {

    private static final Logger LOG = Logger.getLogger(ServiceResource.class);

    /** Says once at start whether spans are exported, and where to. */
    void logTracing(@Observes StartupEvent event) {
        var config = ConfigProvider.getConfig();
        if (config.getOptionalValue(TracingSwitch.SDK_DISABLED, Boolean.class).orElse(false)) {
            LOG.info("tracing off: no OTLP endpoint configured (quarkus.otel.exporter.otlp.traces.endpoint)");
        } else {
            LOG.infof(
                    "tracing on: spans exported over OTLP to %s",
                    TracingSwitch.ENDPOINTS.stream()
                            .flatMap(name -> config.getOptionalValue(name, String.class).stream())
                            .findFirst()
                            .orElse("the default endpoint"));
        }
    }

    @Produces
    @Singleton
    Resource resource(
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version,
            @ConfigProperty(name = "tessera.tracing.instance-id") Optional<String> instanceId) {
        return Resource.builder()
                .put("service.namespace", "tessera")
                .put("service.version", version)
                .put("service.instance.id", instanceId.map(String::strip).orElseGet(ServiceResource::hostname))
                .build();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "orchestrator-" + ProcessHandle.current().pid();
        }
    }
}
