package org.tessera.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.tessera.deploy.kubernetes.CustomResources.ScaledObject;
import org.tessera.deploy.kubernetes.Kustomize.Rendered;

/**
 * Names, ports, probes and environment variables of the manifests agree with the services' application.properties,
 * in the base and in every overlay.
 */
class ServiceConfigurationTest {

    static final List<Path> RENDERABLE = Repository.RENDERABLE;

    /**
     * Variables that set properties the services read without writing them in application.properties: the database
     * password (never committed) and the Kafka client's security settings, which SmallRye's Kafka connector passes
     * from {@code kafka.*} to every channel.
     */
    static final Set<String> FRAMEWORK_VARIABLES = Set.of(
            "QUARKUS_DATASOURCE_PASSWORD", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG");

    record Service(String deployment, String container, ServiceConfig config) {}

    static final List<Service> SERVICES = List.of(
            new Service("tessera-orchestrator", "orchestrator", ServiceConfig.orchestrator()),
            new Service("tessera-worker", "worker", ServiceConfig.worker()));

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void portsAndProbesAreTheServicesOwn(Path directory) {
        Manifests m = new Manifests(Kustomize.render(directory));
        for (Service s : SERVICES) {
            Container c = m.container(s.deployment(), s.container());
            assertThat(port(c, "http"))
                    .as("%s http port", s.deployment())
                    .isEqualTo(s.config().httpPort());
            String root = s.config().nonApplicationRoot();
            assertProbe(c, c.getStartupProbe(), root + "/health/started", s);
            assertProbe(c, c.getReadinessProbe(), root + "/health/ready", s);
            assertProbe(c, c.getLivenessProbe(), root + "/health/live", s);
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(m.deployment(s.deployment())
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getSecurityContext()
                            .getRunAsNonRoot())
                    .isTrue();

            // Prometheus scrapes the port and path where Micrometer serves.
            io.fabric8.kubernetes.api.model.Service service =
                    m.typed("Service", s.deployment(), io.fabric8.kubernetes.api.model.Service.class);
            ServiceMonitor monitor = m.typed("ServiceMonitor", s.deployment(), ServiceMonitor.class);
            assertThat(monitor.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(service.getSpec().getSelector());
            for (Endpoint e : monitor.getSpec().getEndpoints()) {
                ServicePort sp = service.getSpec().getPorts().stream()
                        .filter(p -> p.getName().equals(e.getPort()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(s.deployment() + ": ServiceMonitor port " + e.getPort()
                                + " is not a port of the Service"));
                assertThat(resolve(c, sp.getTargetPort()))
                        .as("metrics port")
                        .isEqualTo(s.config().managementPort());
                assertThat(e.getPath())
                        .isEqualTo(s.config()
                                .get("quarkus.micrometer.export.prometheus.path")
                                .orElse(root + "/metrics"));
            }
        }
    }

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void everyEnvironmentVariableSetsAPropertyTheServiceHas(Path directory) {
        Manifests m = new Manifests(Kustomize.render(directory));
        for (Service s : SERVICES) {
            Container c = m.container(s.deployment(), s.container());
            List<String> names = new ArrayList<>();
            c.getEnv().forEach(e -> names.add(e.getName()));
            for (EnvFromSource from : c.getEnvFrom()) {
                names.addAll(m.typed("ConfigMap", from.getConfigMapRef().getName(), ConfigMap.class)
                        .getData()
                        .keySet());
            }
            for (String name : names) {
                assertThat(FRAMEWORK_VARIABLES.contains(name) || s.config().knowsEnvironmentVariable(name))
                        .as(
                                "%s sets %s, which matches no property of %s",
                                s.deployment(), name, s.config().file())
                        .isTrue();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void theScratchVolumeHoldsTheLargestSlide(Path directory) {
        Manifests m = new Manifests(Kustomize.render(directory));
        ServiceConfig worker = ServiceConfig.worker();
        Container c = m.container("tessera-worker", "worker");
        String workDir = env(c, "TESSERA_WORKER_WORK_DIR");
        String mount = c.getVolumeMounts().stream()
                .filter(v -> v.getMountPath().equals(workDir))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the work dir " + workDir + " is not a mounted volume"))
                .getName();
        Volume scratch = m.deployment("tessera-worker").getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount))
                .findFirst()
                .orElseThrow();
        long size =
                Quantity.getAmountInBytes(scratch.getEmptyDir().getSizeLimit()).longValueExact();
        long input = Long.parseLong(worker.require("tessera.worker.max-input-bytes"));
        long builtLevels = 8L << 30; // tessera.worker.slides.max-scratch-bytes, documented default
        long extracted = Long.parseLong(env(c, "TESSERA_WORKER_SLIDES_MAX_EXTRACTED_BYTES"));
        assertThat(size).isGreaterThanOrEqualTo(input + builtLevels + extracted);
    }

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void scalingAndDisruptionTargetTheRightDeployments(Path directory) {
        Manifests m = new Manifests(Kustomize.render(directory));
        boolean dev = directory.endsWith("dev");
        Deployment orchestrator = m.deployment("tessera-orchestrator");
        HorizontalPodAutoscaler hpa =
                m.typed("HorizontalPodAutoscaler", "tessera-orchestrator", HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("tessera-orchestrator");
        if (!dev) {
            assertThat(orchestrator.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
            assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
            assertThat(m.typed("PodDisruptionBudget", "tessera-orchestrator", PodDisruptionBudget.class)
                            .getSpec()
                            .getMinAvailable()
                            .getIntVal())
                    .isEqualTo(1);
        }
        PodDisruptionBudget pdb = m.typed("PodDisruptionBudget", "tessera-orchestrator", PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(orchestrator.getSpec().getSelector().getMatchLabels());

        ScaledObject workers = m.typed("ScaledObject", "tessera-worker", ScaledObject.class);
        assertThat(workers.spec().scaleTargetRef().name()).isEqualTo("tessera-worker");
        assertThat(workers.spec().minReplicaCount()).isZero();
        // The dispatcher keeps at most max-in-flight jobs unfinished: more workers than that would idle.
        Container oc = m.container("tessera-orchestrator", "orchestrator");
        int maxInFlight = Integer.parseInt(envOr(
                oc,
                "TESSERA_SCHEDULER_MAX_IN_FLIGHT",
                ServiceConfig.orchestrator().require("tessera.scheduler.max-in-flight")));
        assertThat(workers.spec().maxReplicaCount()).isLessThanOrEqualTo(maxInFlight);
        // A stopping worker hands its slide back: poll loop (30 s) + job interruption (10 s) + margin.
        assertThat(m.deployment("tessera-worker")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getTerminationGracePeriodSeconds())
                .isGreaterThanOrEqualTo(45L);
    }

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void gpuWorkersOnlyInTheGpuOverlay(Path directory) {
        Manifests m = new Manifests(Kustomize.render(directory));
        PodSpec pod = m.deployment("tessera-worker").getSpec().getTemplate().getSpec();
        Container c = m.container("tessera-worker", "worker");
        if (directory.endsWith("prod-gpu")) {
            assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
            assertThat(pod.getTolerations()).anySatisfy(t -> {
                assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
                assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
            assertThat(pod.getNodeSelector()).containsKey("nvidia.com/gpu.present");
            assertThat(c.getImage()).startsWith("tessera/worker-gpu:");
            assertThat(env(c, "TESSERA_WORKER_INFERENCE_PROVIDER")).isEqualTo("cuda");
        } else {
            assertThat(c.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
            assertThat(c.getImage()).startsWith("tessera/worker:");
        }
    }

    /**
     * Production keeps objects in S3, each service signing in with its own access key from its own Secret (so the
     * bucket policy can limit the worker to outputs); the other installations keep the platform's object store.
     */
    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void theGpuOverlayKeepsObjectsInS3WithEachServicesOwnCredentials(Path directory) {
        Manifests m = new Manifests(Kustomize.render(directory));
        Map<String, String> shared =
                m.typed("ConfigMap", "tessera-config", ConfigMap.class).getData();
        if (!directory.endsWith("prod-gpu")) {
            assertThat(shared.getOrDefault("TESSERA_OBJECTSTORE_BACKEND", "tessera"))
                    .isEqualTo("tessera");
            return;
        }
        assertThat(shared).containsEntry("TESSERA_OBJECTSTORE_BACKEND", "s3");
        assertThat(shared.get("TESSERA_OBJECTSTORE_S3_BUCKET")).isNotBlank();
        Set<String> secrets = new java.util.HashSet<>();
        for (Service s : SERVICES) {
            Container c = m.container(s.deployment(), s.container());
            String secret = null;
            for (String name :
                    List.of("TESSERA_OBJECTSTORE_S3_ACCESS_KEY_ID", "TESSERA_OBJECTSTORE_S3_SECRET_ACCESS_KEY")) {
                EnvVar variable = c.getEnv().stream()
                        .filter(e -> e.getName().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(s.deployment() + " has no " + name));
                String from = variable.getValueFrom().getSecretKeyRef().getName();
                assertThat(secret == null || secret.equals(from))
                        .as("%s reads both keys from one Secret", s.deployment())
                        .isTrue();
                secret = from;
            }
            secrets.add(secret);
        }
        assertThat(secrets).as("one Secret per service").hasSize(SERVICES.size());
    }

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void ingressRoutesToExistingServicePorts(Path directory) {
        Manifests m = new Manifests(Kustomize.render(directory));
        Ingress ingress = m.typed("Ingress", "tessera", Ingress.class);
        for (IngressRule rule : ingress.getSpec().getRules()) {
            for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                var backend = path.getBackend().getService();
                io.fabric8.kubernetes.api.model.Service service =
                        m.typed("Service", backend.getName(), io.fabric8.kubernetes.api.model.Service.class);
                assertThat(service.getSpec().getPorts())
                        .anyMatch(p -> p.getName().equals(backend.getPort().getName()));
                assertThat(path.getPath())
                        .doesNotStartWith(ServiceConfig.orchestrator().nonApplicationRoot() + "/metrics");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void networkPoliciesKeepWorkersOffCloudMetadataAndLetTheOrchestratorReachItsStores(Path directory) {
        Manifests m = new Manifests(Kustomize.render(directory));
        for (String name : List.of("tessera-worker", "tessera-orchestrator")) {
            NetworkPolicy policy = m.typed("NetworkPolicy", name, NetworkPolicy.class);
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/name", name);
            for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
                for (NetworkPolicyPeer peer : rule.getTo()) {
                    if (peer.getIpBlock() == null) {
                        continue;
                    }
                    String cidr = peer.getIpBlock().getCidr();
                    if (cidr.equals("0.0.0.0/0")) {
                        assertThat(peer.getIpBlock().getExcept()).as(name).contains("169.254.0.0/16");
                    } else if (cidr.equals("::/0")) {
                        assertThat(peer.getIpBlock().getExcept()).as(name).contains("fe80::/10");
                    }
                }
            }
        }
        NetworkPolicy orchestrator = m.typed("NetworkPolicy", "tessera-orchestrator", NetworkPolicy.class);
        assertThat(egressPorts(orchestrator)).contains(5432, 9092);
        assertThat(egressPorts(m.typed("NetworkPolicy", "tessera-worker", NetworkPolicy.class)))
                .contains(9092, 443);
        Map<String, String> kafka = Map.of("strimzi.io/cluster", "tessera", "strimzi.io/kind", "Kafka");
        assertThat(orchestrator.getSpec().getEgress())
                .anySatisfy(r -> assertThat(r.getTo())
                        .anySatisfy(p ->
                                assertThat(p.getPodSelector().getMatchLabels()).isEqualTo(kafka)));
    }

    /**
     * The overlays send both services' spans to the base's OpenTelemetry Collector, at a port its Service exposes, and
     * the NetworkPolicies let both reach it there; the base alone exports nothing.
     */
    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void overlaysSendSpansToTheCollectorThePoliciesLetThemReach(Path directory) {
        Manifests m = new Manifests(Kustomize.render(directory));
        String variable = ServiceConfig.environmentName("quarkus.otel.exporter.otlp.traces.endpoint");
        String endpoint = m.typed("ConfigMap", "tessera-config", ConfigMap.class)
                .getData()
                .get(variable);
        if (directory.equals(Repository.BASE)) {
            assertThat(endpoint).isNull();
            return;
        }
        io.fabric8.kubernetes.api.model.Service collector =
                m.typed("Service", "tessera-otel-collector", io.fabric8.kubernetes.api.model.Service.class);
        int port = collector.getSpec().getPorts().stream()
                .filter(p -> p.getName().equals("otlp-grpc"))
                .findFirst()
                .orElseThrow()
                .getPort();
        assertThat(endpoint).isEqualTo("http://tessera-otel-collector:" + port);
        assertThat(m.deployment("tessera-otel-collector")
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels())
                .containsAllEntriesOf(collector.getSpec().getSelector());
        for (Service s : SERVICES) {
            assertThat(s.config().knowsEnvironmentVariable(variable))
                    .as(s.deployment())
                    .isTrue();
            assertThat(m.container(s.deployment(), s.container()).getEnvFrom())
                    .anySatisfy(
                            from -> assertThat(from.getConfigMapRef().getName()).isEqualTo("tessera-config"));
            NetworkPolicy policy = m.typed("NetworkPolicy", s.deployment(), NetworkPolicy.class);
            assertThat(policy.getSpec().getEgress())
                    .as("%s may reach the collector", s.deployment())
                    .anySatisfy(rule -> {
                        assertThat(rule.getTo())
                                .anySatisfy(peer -> assertThat(
                                                peer.getPodSelector() == null
                                                        ? null
                                                        : peer.getPodSelector().getMatchLabels())
                                        .isEqualTo(collector.getSpec().getSelector()));
                        assertThat(rule.getPorts())
                                .anySatisfy(
                                        p -> assertThat(p.getPort().getIntVal()).isEqualTo(port));
                    });
        }
        NetworkPolicy collectorPolicy = m.typed("NetworkPolicy", "tessera-otel-collector", NetworkPolicy.class);
        assertThat(collectorPolicy.getSpec().getIngress())
                .anySatisfy(rule -> assertThat(rule.getPorts())
                        .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(port)));
    }

    private static Set<Integer> egressPorts(NetworkPolicy policy) {
        return policy.getSpec().getEgress().stream()
                .flatMap(r -> r.getPorts().stream())
                .map(NetworkPolicyPort::getPort)
                .map(IntOrString::getIntVal)
                .collect(Collectors.toSet());
    }

    private static void assertProbe(Container c, Probe probe, String path, Service s) {
        assertThat(probe).as("%s probe %s", s.deployment(), path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(resolve(c, probe.getHttpGet().getPort()))
                .as(
                        "%s probe %s port (the management port from %s)",
                        s.deployment(), path, s.config().file())
                .isEqualTo(s.config().managementPort());
    }

    private static int port(Container c, String name) {
        return c.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no port named " + name));
    }

    private static int resolve(Container c, IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal() : port(c, port.getStrVal());
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    private static String envOr(Container c, String name, String fallback) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElse(fallback);
    }

    /** Typed access to rendered objects by kind and name. */
    record Manifests(List<Rendered> objects) {
        <T> T typed(String kind, String name, Class<T> type) {
            return objects.stream()
                    .filter(r -> r.kind().equals(kind) && r.name().equals(name))
                    .findFirst()
                    .map(r -> Models.as(r, type))
                    .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
        }

        Deployment deployment(String name) {
            return typed("Deployment", name, Deployment.class);
        }

        Container container(String deployment, String name) {
            return deployment(deployment).getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(deployment + " has no container " + name));
        }
    }
}
