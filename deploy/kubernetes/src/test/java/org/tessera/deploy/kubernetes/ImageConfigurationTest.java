package org.tessera.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The images' configuration (the Jib settings of each service's {@code images} profile) agrees with the manifests:
 * user, ports, entrypoint, image names and environment.
 */
class ImageConfigurationTest {

    record Image(String deployment, String container, Path pom, ServiceConfig config) {}

    static final List<Image> IMAGES = List.of(
            new Image(
                    "tessera-orchestrator",
                    "orchestrator",
                    Repository.ROOT.resolve("orchestrator/pom.xml"),
                    ServiceConfig.orchestrator()),
            new Image(
                    "tessera-worker",
                    "worker",
                    Repository.ROOT.resolve("worker/service/pom.xml"),
                    ServiceConfig.worker()));

    @ParameterizedTest
    @FieldSource("IMAGES")
    void jibSettingsMatchTheManifests(Image image) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(image.pom().toFile());
        Element project = pom.getDocumentElement();
        Element jib = jibConfiguration(project);
        String version = text(child(project, "parent"), "version");
        Map<String, String> properties = properties(child(project, "properties"));

        for (Path directory : Repository.RENDERABLE) {
            ServiceConfigurationTest.Manifests m = new ServiceConfigurationTest.Manifests(Kustomize.render(directory));
            Deployment d = m.deployment(image.deployment());
            PodSecurityContext pod = d.getSpec().getTemplate().getSpec().getSecurityContext();
            Container c = m.container(image.deployment(), image.container());
            assertThat(text(child(jib, "container"), "user"))
                    .as("%s: image user vs %s runAsUser:runAsGroup", image.pom(), directory)
                    .isEqualTo(pod.getRunAsUser() + ":" + pod.getRunAsGroup());
            assertThat(texts(child(child(jib, "container"), "ports"), "port"))
                    .containsExactly(String.valueOf(image.config().httpPort()));
            if (!directory.endsWith("prod-gpu") || image.container().equals("orchestrator")) {
                assertThat(c.getImage()).isEqualTo(properties.get("image.name") + ":" + version);
            } else {
                assertThat(c.getImage()).isEqualTo(gpuImageName(project) + ":" + version);
            }
            // Environment the image sets must not contradict the manifests, and must be the service's properties.
            for (Map.Entry<String, String> env : environment(jib).entrySet()) {
                assertThat(image.config().knowsEnvironmentVariable(env.getKey()))
                        .as(env.getKey())
                        .isTrue();
                c.getEnv().stream()
                        .filter(e -> e.getName().equals(env.getKey()))
                        .map(EnvVar::getValue)
                        .forEach(v -> assertThat(v).as(env.getKey()).isEqualTo(env.getValue()));
            }
        }
        String entrypoint = text(child(jib, "container"), "entrypoint");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=").endsWith("-jar,/deployments/quarkus-run.jar");
        assertThat(text(child(jib, "from"), "image")).isEqualTo("${image.base}");
    }

    private static String gpuImageName(Element project) {
        for (Element profile : children(child(project, "profiles"), "profile")) {
            if (text(profile, "id").equals("gpu")) {
                return properties(child(profile, "properties")).get("image.name");
            }
        }
        throw new AssertionError("no gpu profile");
    }

    private static Element jibConfiguration(Element project) {
        for (Element profile : children(child(project, "profiles"), "profile")) {
            if (text(profile, "id").equals("images")) {
                for (Element plugin : children(child(child(profile, "build"), "plugins"), "plugin")) {
                    if (text(plugin, "artifactId").equals("jib-maven-plugin")) {
                        return child(plugin, "configuration");
                    }
                }
            }
        }
        throw new AssertionError("no images profile with jib-maven-plugin");
    }

    private static Map<String, String> environment(Element jib) {
        Map<String, String> env = new LinkedHashMap<>();
        Element container = child(jib, "container");
        NodeList nodes = container.getElementsByTagName("environment");
        if (nodes.getLength() > 0) {
            for (Element e : children((Element) nodes.item(0), null)) {
                env.put(e.getTagName(), e.getTextContent().strip());
            }
        }
        return env;
    }

    private static Map<String, String> properties(Element properties) {
        Map<String, String> map = new LinkedHashMap<>();
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

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream()
                .map(e -> e.getTextContent().strip())
                .toList();
    }
}
