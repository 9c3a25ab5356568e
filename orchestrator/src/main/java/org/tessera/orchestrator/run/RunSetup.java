package org.tessera.orchestrator.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.run.domain.RunLifecycle;
import org.tessera.orchestrator.run.submission.SubmissionValidator;

/** Makes the configured run rules beans: the run lifecycle and the submission checks. */
@ApplicationScoped
public class RunSetup {

    @Produces
    @Singleton
    RunLifecycle runLifecycle() {
        return new RunLifecycle();
    }

    @Produces
    @Singleton
    SubmissionValidator submissionValidator(
            ApplicationCatalogue catalogue,
            @ConfigProperty(name = "tessera.orchestrator.max-items-per-run", defaultValue = "500") int maxItems) {
        return new SubmissionValidator(catalogue, maxItems);
    }
}
