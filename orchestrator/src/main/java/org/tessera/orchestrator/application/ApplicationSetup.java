package org.tessera.orchestrator.application;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the application catalogue a bean, read once from the class path. */
@ApplicationScoped
public class ApplicationSetup {

    @Produces
    @Singleton
    ApplicationCatalogue applicationCatalogue(ObjectMapper mapper) {
        return ApplicationCatalogue.load(mapper);
    }
}
