package org.tessera.worker;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "org.tessera.worker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Fetching, reading, analysis, manifest models, outputs and the pipeline are plain Java: Kafka and Quarkus stay in job/. */
    @ArchTest
    static final ArchRule domainIsFrameworkFree = noClasses()
            .that()
            .resideInAnyPackage(
                    "org.tessera.worker.common..",
                    "org.tessera.worker.pipeline..",
                    "org.tessera.worker.analysis..",
                    "org.tessera.worker.manifest..",
                    "org.tessera.worker.slide..",
                    "org.tessera.worker.fetch..",
                    "org.tessera.worker.output..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.quarkus..", "org.apache.kafka..", "jakarta..", "io.smallrye..", "io.micrometer..");

    @ArchTest
    static final ArchRule analysisDoesNotDoIo = noClasses()
            .that()
            .resideInAPackage("org.tessera.worker.analysis..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.net..", "org.tessera.objectstore..");

    /** No two capabilities import each other, directly or through others. */
    @ArchTest
    static final ArchRule capabilitiesAreFreeOfCycles =
            slices().matching("org.tessera.worker.(*)..").should().beFreeOfCycles();

    /** What the capabilities share sits below all of them. */
    @ArchTest
    static final ArchRule commonImportsNoCapability = noClasses()
            .that()
            .resideInAPackage("org.tessera.worker.common..")
            .should()
            .dependOnClassesThat(
                    resideInAPackage("org.tessera.worker..").and(not(resideInAPackage("org.tessera.worker.common.."))));
}
