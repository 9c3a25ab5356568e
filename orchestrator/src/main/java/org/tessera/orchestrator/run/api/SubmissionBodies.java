package org.tessera.orchestrator.run.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the body of {@code POST /api/v1/runs} whole on the I/O thread, before the request's worker thread starts.
 * Without this, a blocking endpoint reads its body through a stream that the I/O thread fills chunk by chunk, and the
 * two threads hand every chunk over under the connection's monitor: with 20 clients each sending a 500-item run (150–300
 * KiB) the hand-over was an eighth of the orchestrator's CPU. The size limit stays {@code
 * quarkus.http.limits.max-body-size}. HTTP/1.1 requests only (what the SDKs send); HTTP/2 ones stream as before.
 */
@ApplicationScoped
public class SubmissionBodies {

    /** Before the REST endpoints, after authentication: an unauthenticated request is refused before it is read. */
    private static final int ORDER = -1;

    void install(
            @Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M") MemorySize maxBody) {
        BodyHandler whole = BodyHandler.create(false).setBodyLimit(maxBody.asLongValue());
        router.post("/api/v1/runs").order(ORDER).handler(context -> {
            // HTTP/2 streams keep the streamed body: the REST layer pauses the request when it takes it over, which
            // an HTTP/2 request refuses once its body has been read.
            if (context.request().version() == HttpVersion.HTTP_2) {
                context.next();
            } else {
                whole.handle(context);
            }
        });
    }
}
