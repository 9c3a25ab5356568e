package org.tessera.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The images each service's build writes (Jib's buildTar; every verify makes one on an empty base,
 * {@code target/image-check/image.tar}) agree with the manifests: name, user, ports, entrypoint, working directory and
 * environment, and on a read-only root file system they write only where the manifests mount a volume.
 */
class ImageConfigurationTest {

    record Image(String deployment, String container, Path module, ServiceConfig config) {
        Path archive() {
            return module.resolve("target/image-check/image.tar");
        }
    }

    static final List<Image> IMAGES = List.of(
            new Image(
                    "tessera-orchestrator",
                    "orchestrator",
                    Repository.ROOT.resolve("orchestrator"),
                    ServiceConfig.orchestrator()),
            new Image("tessera-worker", "worker", Repository.ROOT.resolve("worker/service"), ServiceConfig.worker()));

    /** Variables the JVM itself reads: an image may set them without a service property behind them. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_HOME", "JAVA_TOOL_OPTIONS", "PATH", "LANG");

    @ParameterizedTest
    @FieldSource("IMAGES")
    void theBuiltImageMatchesTheManifests(Image image) throws Exception {
        try (ImageArchive built = ImageArchive.open(image.archive())) {
            for (Path directory : Repository.RENDERABLE) {
                ServiceConfigurationTest.Manifests m =
                        new ServiceConfigurationTest.Manifests(Kustomize.render(directory));
                Deployment d = m.deployment(image.deployment());
                PodSecurityContext pod = d.getSpec().getTemplate().getSpec().getSecurityContext();
                Container c = m.container(image.deployment(), image.container());
                String where = image.deployment() + " in " + Repository.ROOT.relativize(directory);

                assertThat(built.user())
                        .as("%s: image user vs runAsUser:runAsGroup", where)
                        .isEqualTo(pod.getRunAsUser() + ":" + pod.getRunAsGroup());
                assertThat(pod.getRunAsUser()).as("non-root").isNotZero();

                // Every port the image exposes is one the container declares, and the other way round.
                List<String> declared = c.getPorts().stream()
                        .map(p -> p.getContainerPort() + "/" + p.getProtocol().toLowerCase(java.util.Locale.ROOT))
                        .toList();
                assertThat(built.exposedPorts()).as("%s: ports", where).containsExactlyInAnyOrderElementsOf(declared);
                assertThat(declared)
                        .containsExactlyInAnyOrder(
                                image.config().httpPort() + "/tcp",
                                image.config().managementPort() + "/tcp");
                assertThat(c.getPorts())
                        .extracting(ContainerPort::getName)
                        .containsExactlyInAnyOrder("http", "management");

                if (directory.endsWith("prod-gpu") && image.container().equals("worker")) {
                    assertThat(c.getImage())
                            .as("the GPU overlay runs the -Pgpu image")
                            .isEqualTo(gpuImageName(image.module().resolve("pom.xml"))
                                    + built.tags()
                                            .getFirst()
                                            .substring(built.tags().getFirst().indexOf(':')));
                } else {
                    assertThat(built.tags()).as("%s: image name", where).containsExactly(c.getImage());
                }

                // The JVM's temporary files (ONNX Runtime unpacks its natives there) and every path the image's
                // environment names must be volumes: the root file system is read-only.
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                String tmpdir = jvmOption(built.entrypoint(), "-Djava.io.tmpdir=")
                        .orElseThrow(() -> new AssertionError("the entrypoint must set -Djava.io.tmpdir"));
                assertWritableVolume(d, c, tmpdir, where);

                for (Map.Entry<String, String> env : built.environment().entrySet()) {
                    assertThat(JVM_VARIABLES.contains(env.getKey())
                                    || image.config().knowsEnvironmentVariable(env.getKey()))
                            .as(
                                    "%s: the image sets %s, which matches no property of %s",
                                    where, env.getKey(), image.config().file())
                            .isTrue();
                    Optional<String> manifest = c.getEnv().stream()
                            .filter(e -> e.getName().equals(env.getKey()))
                            .map(EnvVar::getValue)
                            .findFirst();
                    String effective = manifest.orElse(env.getValue());
                    manifest.ifPresent(v -> assertThat(v)
                            .as("%s: %s in the manifest vs the image", where, env.getKey())
                            .isEqualTo(env.getValue()));
                    if (effective.startsWith("/")
                            && !env.getKey().equals("PATH")
                            && !env.getKey().equals("JAVA_HOME")) {
                        assertWritableVolume(d, c, effective, where + " " + env.getKey());
                    }
                }
            }

            List<String> entrypoint = built.entrypoint();
            assertThat(entrypoint.getFirst()).isEqualTo("java");
            assertThat(entrypoint).anySatisfy(a -> assertThat(a).startsWith("-XX:MaxRAMPercentage="));
            assertThat(entrypoint).contains("-XX:+ExitOnOutOfMemoryError");
            assertThat(built.workingDirectory()).isEqualTo("/deployments");
            assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
                    .containsExactly("-jar", built.workingDirectory() + "/quarkus-run.jar");
        }
    }

    /** The base image is configuration: each service names a default, the builds take it from there. */
    @ParameterizedTest
    @FieldSource("IMAGES")
    void theBaseImageIsAPropertyOfTheService(Image image) throws Exception {
        Element project = parse(image.module().resolve("pom.xml"));
        assertThat(properties(child(project, "properties"))).containsKeys("image.base", "image.name");
        Element root = parse(Repository.ROOT.resolve("pom.xml"));
        Element jib = null;
        for (Element plugin : children(child(child(child(root, "build"), "pluginManagement"), "plugins"), "plugin")) {
            if (text(plugin, "artifactId").equals("jib-maven-plugin")) {
                jib = child(plugin, "configuration");
            }
        }
        assertThat(jib)
                .as("jib-maven-plugin in the root pom's pluginManagement")
                .isNotNull();
        assertThat(text(child(jib, "from"), "image")).isEqualTo("${image.base}");
        assertThat(text(child(jib, "to"), "image")).isEqualTo("${image.name}:${project.version}");
    }

    private static void assertWritableVolume(Deployment d, Container c, String path, String what) {
        VolumeMount mount = c.getVolumeMounts().stream()
                .filter(v -> path.equals(v.getMountPath()) || path.startsWith(v.getMountPath() + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        what + ": " + path + " is on the read-only root file system, not on a mounted volume"));
        assertThat(mount.getReadOnly())
                .as("%s: %s mounted read-only", what, path)
                .isNotEqualTo(Boolean.TRUE);
        Volume volume = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getEmptyDir() != null
                        || volume.getPersistentVolumeClaim() != null
                        || volume.getEphemeral() != null)
                .as("%s: %s is a writable volume", what, path)
                .isTrue();
    }

    static Optional<String> jvmOption(List<String> entrypoint, String prefix) {
        return entrypoint.stream()
                .filter(a -> a.startsWith(prefix))
                .map(a -> a.substring(prefix.length()))
                .findFirst();
    }

    private static String gpuImageName(Path pom) throws Exception {
        for (Element profile : children(child(parse(pom), "profiles"), "profile")) {
            if (text(profile, "id").equals("gpu")) {
                return properties(child(profile, "properties")).get("image.name");
            }
        }
        throw new AssertionError(pom + " has no gpu profile");
    }

    private static Element parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(pom.toFile())
                .getDocumentElement();
    }

    private static Map<String, String> properties(Element properties) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (Element e : children(properties, null)) {
            map.put(e.getTagName(), e.getTextContent().strip());
        }
        return map;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        if (found.isEmpty()) {
            throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
        }
        return found.getFirst();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().strip();
    }
}
