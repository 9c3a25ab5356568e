package org.tessera.orchestrator.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class LayeringTest {

    private static final JavaClasses ORCHESTRATOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.tessera.orchestrator");

    @Test
    void domainCodeImportsNoFramework() {
        noClasses()
                .that()
                .resideInAPackage("..domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "jakarta.persistence..",
                        "jakarta.enterprise..",
                        "jakarta.ws.rs..",
                        "jakarta.transaction..",
                        "java.sql..",
                        "javax.sql..",
                        "org.apache.kafka..",
                        "io.smallrye..",
                        "io.vertx..",
                        "org.eclipse.microprofile..")
                .because("lifecycle rules must stay testable without a container")
                .check(ORCHESTRATOR);
    }

    @Test
    void domainCodeNeverReadsTheClock() {
        noClasses()
                .that()
                .resideInAPackage("..domain..")
                .should()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(java.util.UUID.class, "randomUUID")
                .because("time and ids are injected so that decisions are reproducible")
                .check(ORCHESTRATOR);
    }

    @Test
    void featurePackagesDependOnEachOtherWithoutCycles() {
        slices().matching("org.tessera.orchestrator.(*)..")
                .should()
                .beFreeOfCycles()
                .because("no package imports upward, so each can be read and changed from the bottom up")
                .check(ORCHESTRATOR);
    }

    @Test
    void commonImportsNoFeaturePackage() {
        noClasses()
                .that()
                .resideInAPackage("org.tessera.orchestrator.common..")
                .should()
                .dependOnClassesThat(resideInAPackage("org.tessera.orchestrator..")
                        .and(resideInAPackage("org.tessera.orchestrator.common..")
                                .negate()))
                .because("common is what every feature package (run, item, artifact, application, tenancy, outbox,"
                        + " messaging, health) builds on")
                .check(ORCHESTRATOR);
    }
}
