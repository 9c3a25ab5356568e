package org.tessera.orchestrator.support;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import java.net.URI;

/** The orchestrator's management interface under test: {@code /q/health} and {@code /q/metrics} live there. */
public final class Management {

    private Management() {}

    /** The full URL of an absolute path on the management port, e.g. {@code /q/metrics}. */
    public static String url(String path) {
        return URI.create(TestHTTPResourceManager.getManagementUri())
                .resolve(path)
                .toString();
    }
}
