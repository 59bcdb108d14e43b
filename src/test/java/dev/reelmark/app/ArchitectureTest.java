package dev.reelmark.app;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package rules ARCHITECTURE.md states, on the compiled production classes. */
class ArchitectureTest {
    static final String[] FEATURES = {"..auth..", "..catalog..", "..credentials..", "..dataset..", "..events..",
            "..footage..", "..jobs..", "..ledger..", "..metadata..", "..provenance..", "..sidecar..", "..tagging.."};

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.reelmark");
    }

    /** A class and its nested classes count as the top-level class they are declared in. */
    static DescribedPredicate<JavaClass> topLevelNamed(String description, java.util.function.Predicate<String> name) {
        return DescribedPredicate.describe(description, c -> {
            String simple = c.getName().substring(c.getName().lastIndexOf('.') + 1);
            int nested = simple.indexOf('$');
            return name.test(nested < 0 ? simple : simple.substring(0, nested));
        });
    }

    @Test
    void domainCodeKnowsNoHttp() {
        // A feature's routes class (and the auth gate, which is the web layer's hook) translate HTTP; nothing else may.
        noClasses().that().resideInAnyPackage(FEATURES)
                .and(DescribedPredicate.not(topLevelNamed("a routes class or the auth gate",
                        n -> n.endsWith("Routes") || n.equals("AuthGate"))))
                .should().dependOnClassesThat().resideInAPackage("dev.reelmark.http..")
                .because("domain code throws dev.reelmark.errors kinds and uses dev.reelmark.json; only routes know HTTP")
                .check(classes);
    }

    @Test
    void featuresDoNotReachIntoTheCompositionRootOrTheCli() {
        // Known debt, listed here so it cannot grow: the picocli commands and benchmarks that still live in their
        // feature's package build the root themselves (to move into cli.<feature> with services by constructor).
        noClasses().that().resideInAnyPackage(FEATURES)
                .and(DescribedPredicate.not(topLevelNamed("a command or benchmark",
                        n -> n.endsWith("Command") || n.endsWith("Bench"))))
                .should().dependOnClassesThat().resideInAnyPackage("dev.reelmark.app..", "dev.reelmark.cli..")
                .check(classes);
    }

    @Test
    void sharedPackagesDependOnNoFeature() {
        noClasses().that().resideInAnyPackage("dev.reelmark.errors..", "dev.reelmark.json..", "dev.reelmark.db..",
                        "dev.reelmark.media..", "dev.reelmark.http..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.reelmark.app..", "dev.reelmark.cli..")
                .check(classes);
    }
}
