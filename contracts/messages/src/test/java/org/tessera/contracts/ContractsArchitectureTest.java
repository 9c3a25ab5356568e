package org.tessera.contracts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ContractsArchitectureTest {

    @Test
    void contractsDependOnNoServiceNorFramework() {
        var classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.tessera.contracts");
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.tessera.orchestrator..",
                        "org.tessera.worker..",
                        "io.quarkus..",
                        "io.smallrye..",
                        "org.apache.kafka..",
                        "jakarta..")
                .check(classes);
    }
}
