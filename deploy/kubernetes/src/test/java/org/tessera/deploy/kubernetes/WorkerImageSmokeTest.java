package org.tessera.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the worker image's entrypoint without a container runtime: the image's layers unpacked into a directory made
 * read-only, its Java command run as the image's user (when the test runs as root) with the paths of the image and of
 * the manifests' volumes mapped onto that directory and onto writable temporary ones, and the environment the dev
 * overlay gives the worker. The worker must come up, answer its management health endpoint (Kafka is not there: the
 * liveness answer is enough), say which execution provider it runs on, write only into its volumes, and stop on SIGTERM.
 *
 * <p>By default it reads the image every verify builds on an empty base (the host's JDK runs it); with
 * {@code -Dtessera.worker.image=path/to/jib-image.tar} it runs a full image (deploy/images/build), with the image's own
 * Java runtime.
 */
class WorkerImageSmokeTest {

    private static final Path DEFAULT_ARCHIVE = Repository.ROOT.resolve("worker/service/target/image-check/image.tar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theWorkerStartsFromItsImageOnAReadOnlyRoot(@TempDir Path dir) throws Exception {
        Path archive = Path.of(System.getProperty("tessera.worker.image", DEFAULT_ARCHIVE.toString()));
        Path root = Files.createDirectories(dir.resolve("rootfs"));
        Path volumes = Files.createDirectories(dir.resolve("volumes"));
        Path log = dir.resolve("worker.log");

        ServiceConfigurationTest.Manifests m =
                new ServiceConfigurationTest.Manifests(Kustomize.render(Repository.KUBERNETES.resolve("overlays/dev")));
        Container c = m.container("tessera-worker", "worker");

        List<String> entrypoint;
        Map<String, String> imageEnv;
        String user;
        String workingDirectory;
        try (ImageArchive image = ImageArchive.open(archive)) {
            image.unpack(root);
            entrypoint = image.entrypoint();
            imageEnv = image.environment();
            user = image.user();
            workingDirectory = image.workingDirectory();
        }
        Paths paths = new Paths(root, volumes, c.getVolumeMounts());
        makeReadOnly(root);

        // The image's Java runtime when it has one (a full image), else this JDK (an image on an empty base).
        Path imageJava = root.resolve("opt/java/openjdk/bin/java");
        Path java = Files.isExecutable(imageJava) ? imageJava : Path.of(System.getProperty("java.home"), "bin", "java");

        int managementPort = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        imageEnv.forEach((k, v) -> {
            if (!k.equals("PATH")) {
                env.put(k, paths.map(v));
            }
        });
        env.putAll(manifestEnvironment(m, c, paths));
        // Loopback only, on free ports, and a Kafka address where nothing listens.
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + freePort());
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));

        List<String> command = new ArrayList<>(asImageUser(user));
        command.add(java.toString());
        for (String arg : entrypoint.subList(1, entrypoint.size())) {
            command.add(paths.mapArgument(arg));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(Path.of(paths.map(workingDirectory.isEmpty() ? "/" : workingDirectory))
                        .toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);

        Process worker = builder.start();
        try {
            AtomicReference<String> health = new AtomicReference<>();
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!worker.isAlive()) {
                    throw new AssertionError(
                            "the worker exited with " + worker.exitValue() + " before answering:\n" + tail(log));
                }
                try {
                    HttpResponse<String> r = get(managementPort, "/q/health/live");
                    health.set(r.body());
                    return r.statusCode() == 200 || r.statusCode() == 503;
                } catch (IOException notYet) {
                    return false;
                }
            });
            assertThat(health.get())
                    .as("liveness details")
                    .contains("slide-job-consumer")
                    .contains("\"inference\": \"CPU (");
            assertThat(get(managementPort, "/q/metrics").body())
                    .contains("tessera_worker_inference_provider{provider=\"cpu\",requested=\"auto\"} 1.0");
            assertThat(Files.readString(log)).contains("inference: execution provider CPU (");

            // ONNX Runtime unpacked its natives into the JVM's temporary directory: the tmp volume, not the image.
            Path tmp = paths.volumeOf(ImageConfigurationTest.jvmOption(entrypoint, "-Djava.io.tmpdir=")
                    .orElseThrow());
            try (Stream<Path> files = Files.list(tmp)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anySatisfy(name -> assertThat(name).startsWith("onnxruntime-java"));
            }
        } finally {
            worker.destroy(); // SIGTERM, as the kubelet stops a pod
            if (!worker.waitFor(60, TimeUnit.SECONDS)) {
                worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            makeWritable(root);
        }
        String output = Files.readString(log);
        assertThat(output)
                .as("nothing tried to write to the read-only image")
                .doesNotContain("Read-only file system")
                .doesNotContain("AccessDeniedException");
        assertThat(worker.exitValue())
                .as("exit status after SIGTERM:\n%s", tail(log))
                .isIn(0, 143);
    }

    /** The worker container's environment in the manifests, secrets and pod fields replaced by test values. */
    private static Map<String, String> manifestEnvironment(
            ServiceConfigurationTest.Manifests m, Container c, Paths paths) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            env.putAll(m.typed("ConfigMap", from.getConfigMapRef().getName(), ConfigMap.class)
                    .getData());
        }
        for (EnvVar e : c.getEnv()) {
            if (e.getValue() != null) {
                env.put(e.getName(), paths.map(e.getValue()));
            } else if (e.getValueFrom().getFieldRef() != null) {
                env.put(e.getName(), "image-smoke-test");
            } else if (e.getValueFrom().getSecretKeyRef() != null
                    && !Boolean.TRUE.equals(e.getValueFrom().getSecretKeyRef().getOptional())) {
                env.put(
                        e.getName(),
                        "image-smoke-test-" + e.getValueFrom().getSecretKeyRef().getKey());
            }
        }
        return env;
    }

    /**
     * Where the image's absolute paths land here: under a mounted volume's path, in a writable directory of that
     * volume; anywhere else, in the unpacked (read-only) image.
     */
    record Paths(Path root, Path volumes, List<VolumeMount> mounts) {
        Paths {
            for (VolumeMount mount : mounts) {
                Path volume = volumes.resolve(mount.getName());
                try {
                    Files.createDirectories(volume);
                    // Writable by the image's user, whoever runs the test.
                    Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwxrwxrwx"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        String map(String value) {
            if (!value.startsWith("/")) {
                return value;
            }
            for (VolumeMount mount : mounts) {
                String p = mount.getMountPath();
                if (value.equals(p) || value.startsWith(p + "/")) {
                    return volumes.resolve(mount.getName()) + value.substring(p.length());
                }
            }
            return root + value;
        }

        /** {@code /path} and {@code -Dname=/path} are paths of the image; other arguments stay as they are. */
        String mapArgument(String arg) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("-D") && eq > 0) {
                return arg.substring(0, eq + 1) + map(arg.substring(eq + 1));
            }
            return map(arg);
        }

        Path volumeOf(String imagePath) {
            String mapped = map(imagePath);
            assertThat(mapped).as("%s is a volume", imagePath).startsWith(volumes.toString());
            return Path.of(mapped);
        }
    }

    /** As root, run as the image's numeric user and group (setpriv), so file permissions apply as in a pod. */
    private static List<String> asImageUser(String user) {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path setpriv = Path.of("/usr/bin/setpriv");
        if (!root || !Files.isExecutable(setpriv) || user.isEmpty()) {
            return List.of();
        }
        String[] ids = user.split(":");
        return List.of(
                setpriv.toString(),
                "--reuid=" + ids[0],
                "--regid=" + (ids.length > 1 ? ids[1] : ids[0]),
                "--clear-groups",
                "--");
    }

    private static void makeReadOnly(Path root) throws IOException {
        chmodTree(root, false);
    }

    private static void makeWritable(Path root) throws IOException {
        chmodTree(root, true);
    }

    private static void chmodTree(Path root, boolean writable) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (writable) {
                    perms.add(PosixFilePermission.OWNER_WRITE);
                } else {
                    perms.removeAll(Set.of(
                            PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.GROUP_WRITE,
                            PosixFilePermission.OTHERS_WRITE));
                    // Readable by the image's user, as the layers' files are in a container.
                    perms.add(PosixFilePermission.OTHERS_READ);
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        perms.add(PosixFilePermission.OTHERS_EXECUTE);
                    }
                }
                Files.setPosixFilePermissions(p, perms);
            }
        }
        // The test's own temporary directory must be traversable by the image's user.
        if (!writable) {
            Path parent = root.getParent();
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(parent);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(parent, perms);
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
