package org.tessera.orchestrator.application;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.tessera.orchestrator.application.document.DocumentManifest;

/** Makes the application catalogue and the version documents' manifest beans, read once from the class path. */
@ApplicationScoped
public class ApplicationSetup {

    @Produces
    @Singleton
    ApplicationCatalogue applicationCatalogue(ObjectMapper mapper) {
        return ApplicationCatalogue.load(mapper);
    }

    @Produces
    @Singleton
    DocumentManifest documentManifest(ObjectMapper mapper, ApplicationCatalogue catalogue) {
        return DocumentManifest.load(mapper, catalogue);
    }
}
