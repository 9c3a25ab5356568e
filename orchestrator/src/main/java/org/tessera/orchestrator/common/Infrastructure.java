package org.tessera.orchestrator.common;

import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.objectstore.ObjectStore;
import org.tessera.objectstore.ObjectStoreSettings;
import org.tessera.objectstore.ObjectStores;

/** Producers for the things the orchestrator's beans share: time, ids and the object store. */
@ApplicationScoped
public class Infrastructure {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        // PostgreSQL keeps microseconds; a finer clock would make stored and published times disagree.
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }

    @Produces
    @Singleton
    @DefaultBean
    IdGenerator idGenerator(Clock clock) {
        return IdGenerator.timeOrdered(clock);
    }

    /**
     * Builds the object store at start and checks that it answers, so that a bad signing key or root, a missing
     * bucket or refused credentials stop the service instead of a request, naming the setting.
     */
    void checkObjectStore(@Observes StartupEvent event, ObjectStore objectStore) {
        objectStore.checkAccess();
    }

    @Produces
    @Singleton
    @DefaultBean
    ObjectStore objectStore(
            @ConfigProperty(name = ObjectStoreSettings.BACKEND, defaultValue = ObjectStores.TESSERA) String backend,
            @ConfigProperty(name = "tessera.objectstore.root") Optional<Path> root,
            @ConfigProperty(name = "tessera.objectstore.public-url") URI publicUrl,
            @ConfigProperty(name = "tessera.objectstore.signing-key") Optional<String> signingKey,
            @ConfigProperty(name = "tessera.objectstore.signing-scope", defaultValue = "orchestrator")
                    String signingScope,
            Config config,
            Clock clock) {
        return buildObjectStore(
                backend,
                root,
                publicUrl,
                signingKey,
                signingScope,
                name -> config.getOptionalValue(name, String.class),
                clock);
    }

    /** Without a key for the platform's store the signer refuses to be built, naming the setting; the start fails. */
    static ObjectStore buildObjectStore(
            String backend,
            Optional<Path> root,
            URI publicUrl,
            Optional<String> signingKey,
            String signingScope,
            Function<String, Optional<String>> setting,
            Clock clock) {
        return ObjectStores.create(
                ObjectStoreSettings.configured(backend, root, publicUrl, signingKey, signingScope, setting), clock);
    }

    void closeObjectStore(@Disposes ObjectStore objectStore) throws Exception {
        if (objectStore instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
