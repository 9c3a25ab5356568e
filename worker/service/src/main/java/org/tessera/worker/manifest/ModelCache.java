package org.tessera.worker.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.tessera.contracts.manifest.ManifestModel;
import org.tessera.models.ModelRegistry.ModelChecksumException;
import org.tessera.objectstore.ObjectStore;

/**
 * The models of manifest-described versions on this worker's disk, by checksum: a model is downloaded from the object
 * store (where the orchestrator stored it at registration) the first time a job needs it, verified against the
 * manifest's SHA-256 and kept as {@code <sha256>.onnx}; a file whose bytes do not match is refused (and never kept),
 * and a cached file is verified again whenever it is loaded. Nothing comes from outside the platform.
 */
public final class ModelCache {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    private final ObjectStore store;
    private final Path dir;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public ModelCache(ObjectStore store, Path dir) {
        this.store = store;
        this.dir = dir;
    }

    /** The model's bytes, verified. */
    public byte[] load(ManifestModel model) throws IOException {
        String sha256 = model.sha256();
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("model " + model.file() + " has no valid sha256: " + sha256);
        }
        if (model.objectKey() == null) {
            throw new IllegalArgumentException("model " + model.file() + " has no object_key");
        }
        synchronized (locks.computeIfAbsent(sha256, k -> new Object())) {
            Path file = dir.resolve(sha256 + ".onnx");
            if (Files.isRegularFile(file)) {
                byte[] bytes = Files.readAllBytes(file);
                if (sha256(bytes).equals(sha256)) {
                    return bytes;
                }
                // Damaged on disk: fetched again below.
                Files.delete(file);
            }
            Files.createDirectories(dir);
            Path part = Files.createTempFile(dir, sha256, ".part");
            try {
                MessageDigest digest = digest();
                try (InputStream in = new DigestInputStream(store.open(model.objectKey()), digest);
                        OutputStream out = Files.newOutputStream(part)) {
                    in.transferTo(out);
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(sha256)) {
                    throw new ModelChecksumException("model " + model.objectKey() + " has SHA-256 " + actual
                            + " but the manifest says " + sha256 + "; refused");
                }
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(part);
            }
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
