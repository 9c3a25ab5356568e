package org.tessera.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.tessera.deploy.kubernetes.Kustomize.Rendered;

/** Every manifest of the base and of each overlay, rendered, parses into its typed model with no unknown field. */
class ManifestsTest {

    static final List<Path> RENDERABLE = Repository.RENDERABLE;

    /** Variables that hold secrets (object store access keys too): never a literal value in the repository. */
    static final Pattern SECRET_NAME =
            Pattern.compile(".*(PASSWORD|SIGNING_KEY|JAAS_CONFIG|SECRET|TOKEN|SECRET_ACCESS_KEY|ACCESS_KEY_ID)$");

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void everyObjectParsesIntoItsTypedModel(Path directory) {
        List<Rendered> objects = Kustomize.render(directory);
        assertThat(objects).hasSizeGreaterThan(20);
        Set<String> ids = new HashSet<>();
        for (Rendered r : objects) {
            Models.parse(r);
            assertThat(ids.add(r.apiVersion() + "/" + r.id()))
                    .as("duplicate %s", r.id())
                    .isTrue();
            if (!r.kind().equals("Namespace")) {
                assertThat(r.object().path("metadata").path("namespace").asText())
                        .as(r.id())
                        .isEqualTo("tessera");
            }
            assertThat(r.object()
                            .path("metadata")
                            .path("labels")
                            .path("app.kubernetes.io/part-of")
                            .asText())
                    .as(r.id())
                    .isEqualTo("tessera");
        }
    }

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void noSecretIsInTheRepositoryOnlyReferencesToThem(Path directory) {
        for (Rendered r : Kustomize.render(directory)) {
            assertThat(r.kind()).as(r.id()).isNotEqualTo("Secret");
            if (r.kind().equals("Deployment")) {
                for (Container c : Models.as(r, Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()) {
                    for (EnvVar env : c.getEnv()) {
                        if (SECRET_NAME.matcher(env.getName()).matches()) {
                            assertThat(env.getValue())
                                    .as("%s %s must come from a Secret", r.id(), env.getName())
                                    .isNull();
                            assertThat(env.getValueFrom().getSecretKeyRef())
                                    .as("%s %s", r.id(), env.getName())
                                    .isNotNull();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aMisspeltFieldIsRefusedWithItsPath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "kind: Kustomization\nresources: [d.yaml]\n");
        Files.writeString(dir.resolve("d.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers:
                        - name: c
                          image: i
                          livenesProbe: {}
                """);
        Rendered r = Kustomize.render(dir).getFirst();
        assertThatThrownBy(() -> Models.parse(r)).hasMessageContaining("livenesProbe");
    }

    @Test
    void aMisspeltCustomResourceFieldIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "kind: Kustomization\nresources: [t.yaml]\n");
        Files.writeString(dir.resolve("t.yaml"), """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 3, retention: 7d}
                """);
        Rendered r = Kustomize.render(dir).getFirst();
        assertThatThrownBy(() -> Models.parse(r)).hasMessageContaining("retention");
    }

    @Test
    void anUnsupportedKustomizationFeatureIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "kind: Kustomization\nreplicas: [{name: x, count: 2}]\n");
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("replicas");
    }

    @Test
    void patchesMergeContainersByNameDeleteNullsAndDeleteObjects(@TempDir Path dir) throws Exception {
        Path base = Files.createDirectories(dir.resolve("base"));
        Files.writeString(base.resolve("kustomization.yaml"), "kind: Kustomization\nresources: [d.yaml, c.yaml]\n");
        Files.writeString(base.resolve("d.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: a, image: "repo/a:1", env: [{name: A, value: "1"}, {name: B, value: "2"}]}
                        - {name: b, image: "repo/b:1"}
                """);
        Files.writeString(base.resolve("c.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone}\n");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                kind: Kustomization
                namespace: ns
                resources: [base]
                patches: [{path: p.yaml}]
                images: [{name: repo/a, newTag: "2"}]
                """);
        Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: a, env: [{name: B, value: "3"}, {name: C, value: "4"}]}
                ---
                $patch: delete
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: gone}
                """);
        List<Rendered> objects = Kustomize.render(dir);
        assertThat(objects).hasSize(1);
        ObjectNode d = objects.getFirst().object();
        assertThat(d.at("/metadata/namespace").asText()).isEqualTo("ns");
        assertThat(d.at("/spec/template/spec/containers").size()).isEqualTo(2);
        assertThat(d.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("repo/a:2");
        assertThat(d.at("/spec/template/spec/containers/0/env").toString())
                .isEqualTo("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"3\"},"
                        + "{\"name\":\"C\",\"value\":\"4\"}]");
    }
}
