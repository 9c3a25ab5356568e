package org.tessera.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;

/**
 * Access tokens cached per API URL in {@code $XDG_CONFIG_HOME/tessera/credentials.json} (or {@code
 * ~/.config/tessera/}). The file is written with mode 0600 in a 0700 folder, replaced atomically, and never read when
 * its group or others may read it: a token there is as good as the user's password until it expires.
 */
public final class CredentialStore {

    public static final String FILE_NAME = "credentials.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** A cached token. */
    public record Credential(String accessToken, Instant expiresAt, String subject, String issuer) {

        public boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    private final Path file;

    public CredentialStore(Path directory) {
        this.file = directory.resolve(FILE_NAME);
    }

    /** The folder from {@code XDG_CONFIG_HOME} or {@code ~/.config}, plus {@code tessera}. */
    public static Path defaultDirectory(Map<String, String> environment) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("tessera");
    }

    public Path file() {
        return file;
    }

    public Optional<Credential> read(String apiUrl) {
        JsonNode entry = readAll().path(apiUrl);
        if (!entry.isObject() || !entry.path("access_token").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new Credential(
                entry.path("access_token").asText(),
                entry.hasNonNull("expires_at")
                        ? Instant.parse(entry.path("expires_at").asText())
                        : null,
                entry.path("subject").asText(null),
                entry.path("issuer").asText(null)));
    }

    public void write(String apiUrl, Credential credential) {
        ObjectNode all = readAll().deepCopy();
        ObjectNode entry = all.putObject(apiUrl);
        entry.put("access_token", credential.accessToken());
        entry.put(
                "expires_at",
                credential.expiresAt() == null ? null : credential.expiresAt().toString());
        entry.put("subject", credential.subject());
        entry.put("issuer", credential.issuer());
        save(all);
    }

    /** Forgets the token for this API; returns whether there was one. */
    public boolean remove(String apiUrl) {
        ObjectNode all = readAll().deepCopy();
        boolean had = all.remove(apiUrl) != null;
        if (had) {
            save(all);
        }
        return had;
    }

    private ObjectNode readAll() {
        if (!Files.exists(file)) {
            return JSON.createObjectNode();
        }
        try {
            if (POSIX) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (permissions.stream().anyMatch(p -> !OWNER_ONLY_FILE.contains(p))) {
                    throw new CliException(
                            ExitCode.AUTH,
                            "refusing to read " + file + ": its mode is "
                                    + PosixFilePermissions.toString(permissions)
                                    + ", so others may read the tokens in it; run chmod 600 " + file
                                    + " (and consider those tokens compromised) or delete it and sign in again");
                }
            }
            JsonNode all = JSON.readTree(file.toFile());
            return all instanceof ObjectNode object ? object : JSON.createObjectNode();
        } catch (IOException e) {
            throw new CliException(ExitCode.AUTH, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void save(ObjectNode all) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            if (!Files.isDirectory(directory)) {
                if (POSIX) {
                    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                } else {
                    Files.createDirectories(directory);
                }
            }
            Path temporary = POSIX
                    ? Files.createTempFile(
                            directory, ".credentials", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                    : Files.createTempFile(directory, ".credentials", ".tmp");
            try {
                Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new CliException(ExitCode.AUTH, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
