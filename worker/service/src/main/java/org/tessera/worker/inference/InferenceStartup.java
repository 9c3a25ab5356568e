package org.tessera.worker.inference;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Decides the execution provider when the worker starts, from {@code tessera.worker.inference.*}. */
@Startup
@ApplicationScoped
public class InferenceStartup {

    InferenceStartup(
            @ConfigProperty(name = "tessera.worker.inference.provider", defaultValue = "auto") String provider,
            @ConfigProperty(name = "tessera.worker.inference.batch-size", defaultValue = "4") int batchSize,
            @ConfigProperty(name = "tessera.worker.inference.threads", defaultValue = "0") int threads) {
        InferenceEngine.configureShared(new InferenceEngine.Settings(
                InferenceEngine.Provider.parse(provider),
                batchSize,
                threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
    }
}
