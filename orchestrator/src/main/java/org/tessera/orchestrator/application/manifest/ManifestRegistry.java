package org.tessera.orchestrator.application.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.manifest.ApplicationManifest;
import org.tessera.contracts.manifest.ManifestTask;
import org.tessera.objectstore.ObjectStore;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.persistence.RegisteredVersionRepository;
import org.tessera.orchestrator.application.persistence.RegisteredVersionRow;
import org.tessera.orchestrator.common.persistence.Transactions;

/**
 * Registers application versions described by manifests (docs/bring-your-own-model.md): checks the manifest and each
 * model against it, stores each model in the object store under {@code models/<app>/<version>/<sha256>.onnx}, where
 * workers download it, records the manifest, and serves the version in the catalogue. Versions come from the admin API
 * or from the folder {@code tessera.applications.manifest-dir} at start; every replica re-reads the registered versions
 * every {@code tessera.applications.refresh-interval}, so a version registered through one is soon served by all.
 */
@ApplicationScoped
public class ManifestRegistry {

    private static final Logger LOG = Logger.getLogger(ManifestRegistry.class);

    /** The manifest's file name in each folder under {@code tessera.applications.manifest-dir}. */
    public static final String MANIFEST_FILE = "manifest.json";

    /** A version of that number exists with another manifest or other models: registered versions never change. */
    public static final class VersionExistsException extends Exception {
        public VersionExistsException(String message) {
            super(message);
        }
    }

    /**
     * @param created false when the same manifest with the same models was registered before
     * @param row the registered version as recorded
     */
    public record Outcome(boolean created, RegisteredVersionRow row) {}

    @Inject
    ApplicationCatalogue catalogue;

    @Inject
    RegisteredVersionRepository versions;

    @Inject
    ObjectStore objectStore;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tessera.applications.manifest-dir")
    Optional<Path> manifestDir;

    // After Flyway, before the application seed (priority 20), which may assign registered versions.
    void onStart(@Observes @Priority(15) StartupEvent event) {
        refresh();
        manifestDir.ifPresent(this::registerFolder);
    }

    @Scheduled(
            identity = "registered-versions-refresh",
            every = "${tessera.applications.refresh-interval:30s}",
            delayed = "${tessera.applications.refresh-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refresh();
    }

    /** Serves exactly the versions recorded in the database. */
    public synchronized void refresh() {
        List<RegisteredVersionRow> rows = Transactions.inNew(dataSource, versions::all);
        List<ApplicationCatalogue.Registered> registered = new ArrayList<>();
        for (RegisteredVersionRow row : rows) {
            try {
                registered.add(ManifestEntries.registered(parse(row.manifestJson()), row.registeredAt()));
            } catch (RuntimeException e) {
                LOG.errorf(
                        e,
                        "registered version %s %s is unreadable; not served",
                        row.applicationId(),
                        row.versionNumber());
            }
        }
        catalogue.replaceRegistered(registered);
    }

    /** The versions registered so far, as recorded. */
    public List<RegisteredVersionRow> registered() {
        return Transactions.inNew(dataSource, versions::all);
    }

    public Optional<RegisteredVersionRow> find(String applicationId, String version) {
        return Transactions.inNew(dataSource, c -> versions.find(c, applicationId, version));
    }

    /**
     * Registers a version.
     *
     * @param manifestJson the manifest as its author wrote it
     * @param files model files by name, as the manifest's {@code file} fields name them
     * @param registeredBy the super-admin, or null for the manifest folder
     * @throws ManifestRefusedException the manifest or a model is at fault, with every reason
     * @throws VersionExistsException the version exists with other content
     */
    public Outcome register(byte[] manifestJson, Map<String, byte[]> files, String registeredBy)
            throws ManifestRefusedException, VersionExistsException, IOException {
        ApplicationManifest manifest = ManifestReader.read(manifestJson);
        if (catalogue.isBuiltIn(manifest.applicationId())) {
            throw ManifestRefusedException.of(
                    List.of("application_id"),
                    ManifestRefusedException.BUILT_IN_APPLICATION,
                    "application '" + manifest.applicationId() + "' is built into the platform; a manifest describes"
                            + " an application of its own");
        }
        Optional<RegisteredVersionRow> existing = find(manifest.applicationId(), manifest.version());
        if (existing.isPresent()) {
            return same(existing.get(), manifest);
        }
        List<ManifestRefusedException.Reason> reasons = new ArrayList<>();
        for (int i = 0; i < manifest.tasks().size(); i++) {
            ManifestTask task = manifest.tasks().get(i);
            byte[] model = files.get(task.model().file());
            if (model == null) {
                reasons.add(new ManifestRefusedException.Reason(
                        List.of("tasks", i, "model", "file"),
                        ManifestRefusedException.MISSING_MODEL_FILE,
                        "no model file " + task.model().file() + " was given; files: " + files.keySet()));
                continue;
            }
            try {
                ModelCheck.check(i, task, model);
            } catch (ManifestRefusedException e) {
                reasons.addAll(e.reasons());
            }
        }
        if (!reasons.isEmpty()) {
            throw new ManifestRefusedException(reasons);
        }
        for (ManifestTask task : manifest.tasks()) {
            store(objectKey(manifest, task), files.get(task.model().file()));
        }
        ApplicationManifest stored = manifest.withObjectKeys(task -> objectKey(manifest, task));
        Instant now = clock.instant();
        RegisteredVersionRow row =
                new RegisteredVersionRow(manifest.applicationId(), manifest.version(), json(stored), now, registeredBy);
        boolean inserted = Transactions.inNew(dataSource, c -> versions.insert(c, row));
        if (!inserted) {
            // Registered at the same moment through another replica.
            return same(find(manifest.applicationId(), manifest.version()).orElseThrow(), manifest);
        }
        LOG.infof(
                "registered %s %s from a manifest (%d task(s))%s",
                manifest.applicationId(),
                manifest.version(),
                manifest.tasks().size(),
                registeredBy == null ? "" : " by " + registeredBy);
        refresh();
        return new Outcome(
                true, find(manifest.applicationId(), manifest.version()).orElse(row));
    }

    /** Where a task's model is stored: the same bytes of the same version always land on the same key. */
    static String objectKey(ApplicationManifest manifest, ManifestTask task) {
        return "models/" + manifest.applicationId() + "/" + manifest.version() + "/"
                + task.model().sha256() + ".onnx";
    }

    private Outcome same(RegisteredVersionRow row, ApplicationManifest manifest) throws VersionExistsException {
        ApplicationManifest recorded = parse(row.manifestJson()).withObjectKeys(task -> null);
        if (!recorded.equals(manifest)) {
            throw new VersionExistsException("version '" + manifest.version() + "' of application '"
                    + manifest.applicationId() + "' is registered with another manifest; registered versions never"
                    + " change, register a new version number");
        }
        return new Outcome(false, row);
    }

    private void store(String key, byte[] model) throws IOException {
        if (objectStore.exists(key)) {
            // The key names the bytes' checksum: what is there is this model.
            return;
        }
        Path file = Files.createTempFile("tessera-model-", ".onnx");
        try {
            Files.write(file, model);
            objectStore.put(key, file, "application/octet-stream");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Registers every folder under {@code dir} that holds a {@value #MANIFEST_FILE}, with the model files beside it.
     * A refused manifest is logged with its reasons and skipped; the platform starts regardless.
     */
    void registerFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.warnf("tessera.applications.manifest-dir %s is not a folder; no manifests registered from it", dir);
            return;
        }
        List<Path> folders;
        try (Stream<Path> children = Files.list(dir)) {
            folders = children.filter(p -> Files.isRegularFile(p.resolve(MANIFEST_FILE)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            LOG.errorf(e, "cannot list manifest folder %s", dir);
            return;
        }
        for (Path folder : folders) {
            try {
                Map<String, byte[]> files = new HashMap<>();
                try (Stream<Path> models = Files.list(folder)) {
                    for (Path model :
                            models.filter(p -> p.toString().endsWith(".onnx")).toList()) {
                        files.put(model.getFileName().toString(), Files.readAllBytes(model));
                    }
                }
                Outcome outcome = register(Files.readAllBytes(folder.resolve(MANIFEST_FILE)), files, null);
                if (!outcome.created()) {
                    LOG.debugf("manifest in %s is registered already", folder);
                }
            } catch (ManifestRefusedException | VersionExistsException e) {
                LOG.errorf("manifest in %s refused: %s", folder, e.getMessage());
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "manifest in %s could not be registered", folder);
            }
        }
    }

    static ApplicationManifest parse(String json) {
        try {
            return ContractsJson.mapper().readValue(json, ApplicationManifest.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(ApplicationManifest manifest) {
        try {
            return ContractsJson.mapper().writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
