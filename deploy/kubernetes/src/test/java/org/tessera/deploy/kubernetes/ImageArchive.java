package org.tessera.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A container image as a Docker archive ({@code docker save}'s format, what Jib's buildTar writes): its manifest, its
 * configuration (entrypoint, user, ports, environment, working directory) and its layers, unpacked without a container
 * runtime.
 */
final class ImageArchive implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final TarFile tar;
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageArchive(Path file) throws IOException {
        this.file = file;
        this.tar = new TarFile(file);
        JsonNode manifests = JSON.readTree(bytes("manifest.json"));
        if (!manifests.isArray() || manifests.size() != 1) {
            throw new IOException(file + ": manifest.json must list exactly one image, has " + manifests);
        }
        this.manifest = manifests.get(0);
        this.config = JSON.readTree(bytes(manifest.path("Config").asText()));
    }

    /** Opens a Docker archive; a clear error when it is missing or not one. */
    static ImageArchive open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no image archive at " + file + ": build the service first (its verify"
                    + " writes target/image-check/image.tar, e.g. ./mvnw -pl deploy/kubernetes -am verify)");
        }
        try {
            return new ImageArchive(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not a readable Docker image archive: " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /** The image's names as the archive tags it, e.g. {@code tessera/worker:0.1.0-SNAPSHOT}. */
    List<String> tags() {
        List<String> tags = new ArrayList<>();
        manifest.path("RepoTags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    List<String> entrypoint() {
        return strings(config.path("config").path("Entrypoint"));
    }

    String user() {
        return config.path("config").path("User").asText("");
    }

    String workingDirectory() {
        return config.path("config").path("WorkingDir").asText("");
    }

    /** Exposed ports, e.g. {@code 8081/tcp}. */
    List<String> exposedPorts() {
        List<String> ports = new ArrayList<>();
        config.path("config").path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        return ports;
    }

    /** The environment the image sets, in order. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : strings(config.path("config").path("Env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    List<String> layers() {
        return strings(manifest.path("Layers"));
    }

    /**
     * Unpacks every layer, in order, into {@code root} as a container runtime would: later layers replace files of
     * earlier ones, whiteouts ({@code .wh.name}) delete them. Device nodes and ownership are left out (no root needed).
     */
    void unpack(Path root) throws IOException {
        for (String layer : layers()) {
            TarArchiveEntry entry = entry(layer);
            try (InputStream raw = new BufferedInputStream(tar.getInputStream(entry))) {
                raw.mark(2);
                boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
                raw.reset();
                try (TarArchiveInputStream in = new TarArchiveInputStream(gzip ? new GZIPInputStream(raw) : raw)) {
                    for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                        unpackEntry(root, in, e);
                    }
                }
            }
        }
    }

    private static void unpackEntry(Path root, InputStream in, TarArchiveEntry e) throws IOException {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("layer entry outside the root: " + e.getName());
        }
        String name = target.getFileName() == null ? "" : target.getFileName().toString();
        if (name.startsWith(".wh.")) {
            Path parent = target.getParent();
            if (name.equals(".wh..wh..opq")) {
                deleteChildren(parent);
            } else {
                deleteTree(parent.resolve(name.substring(4)));
            }
            return;
        }
        if (e.isDirectory()) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(target);
                Files.createDirectories(target);
            }
            permissions(target, e.getMode() | 0700);
        } else if (e.isSymbolicLink()) {
            Files.createDirectories(target.getParent());
            deleteTree(target);
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
            Files.createDirectories(target.getParent());
            deleteTree(target);
            Path source = root.resolve(e.getLinkName()).normalize();
            if (source.startsWith(root) && Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
            }
        } else if (e.isFile()) {
            Files.createDirectories(target.getParent());
            deleteTree(target);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            permissions(target, e.getMode() | 0600);
        }
        // Device nodes and FIFOs (a Debian root file system has a few under /dev) are not needed to run Java.
    }

    private static void permissions(Path p, int mode) throws IOException {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(bits[i]);
            }
        }
        Files.setPosixFilePermissions(p, set);
    }

    private static void deleteChildren(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(dir)) {
                for (Path child : children.toList()) {
                    deleteTree(child);
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            deleteChildren(p);
        }
        Files.deleteIfExists(p);
    }

    private byte[] bytes(String name) throws IOException {
        try (InputStream in = tar.getInputStream(entry(name))) {
            return in.readAllBytes();
        }
    }

    private TarArchiveEntry entry(String name) throws IOException {
        return tar.getEntries().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IOException(file + " has no " + name));
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
