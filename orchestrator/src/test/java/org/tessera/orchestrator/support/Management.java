package org.tessera.orchestrator.support;

import java.net.URI;
import org.eclipse.microprofile.config.ConfigProvider;

/** The orchestrator's management interface under test: {@code /q/health} and {@code /q/metrics} live there. */
public final class Management {

    private Management() {}

    /**
     * The full URL of an absolute path on the management port, e.g. {@code /q/metrics} (Quarkus publishes the port it
     * picked as {@code test.management.url}).
     */
    public static String url(String path) {
        return URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class))
                .resolve(path)
                .toString();
    }
}
