package org.tessera.deploy.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Paths in the repository, found from this module's directory (the tests run with it as working directory). */
final class Repository {

    static final Path ROOT = findRoot();
    static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    static final Path BASE = KUBERNETES.resolve("base");

    /** Every directory that kubectl apply -k may be pointed at. */
    static final List<Path> RENDERABLE =
            List.of(BASE, KUBERNETES.resolve("overlays/dev"), KUBERNETES.resolve("overlays/prod-gpu"));

    private Repository() {}

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("contracts")) && Files.isDirectory(p.resolve("deploy/kubernetes"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "repository root not found above " + Path.of("").toAbsolutePath());
    }
}
