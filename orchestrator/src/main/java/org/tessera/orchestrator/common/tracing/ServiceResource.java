package org.tessera.orchestrator.common.tracing;

import io.opentelemetry.sdk.resources.Resource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Resource attributes of the orchestrator's spans beside {@code service.name} ({@code quarkus.otel.service.name}):
 * its version and this replica's instance id, the host name (the pod's name on Kubernetes) unless
 * {@code tessera.tracing.instance-id} names it.
 */
@Singleton
class ServiceResource {

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
