package org.tessera.contracts.tracing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class TracingArchitectureTest {

    /**
     * Unlike the message contracts, tracing speaks Kafka's headers and SmallRye's configuration API, but it stays below
     * both services and outside Quarkus, so that each service keeps its own wiring.
     */
    @Test
    void tracingDependsOnNoServiceNorQuarkus() {
        var classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.tessera.contracts.tracing");
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.tessera.orchestrator..", "org.tessera.worker..", "io.quarkus..")
                .check(classes);
    }
}
