package org.tessera.orchestrator.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tessera.contracts.manifest.ApplicationManifest;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.application.domain.ApplicationVersion;
import org.tessera.orchestrator.application.domain.ArtifactSpec;
import org.tessera.orchestrator.application.domain.ErrorThreshold;

/**
 * The applications runs can be submitted to: the built-in ones, read from {@code catalogue.json} next to this class,
 * and the versions registered from manifests ({@link #replaceRegistered}), whose entries are derived from their
 * manifests. This is the one place where application ids, versions, input metadata schemas and output artifact names
 * are defined; workers must write outputs under exactly these names. Thread-safe: readers see one consistent state.
 */
public final class ApplicationCatalogue {

    public static final String RESOURCE = "catalogue.json";

    /**
     * A version registered from a manifest ({@code docs/bring-your-own-model.md}), with the catalogue entry derived
     * from it.
     *
     * @param manifest as registered, each model with its object-store key
     * @param version the version's catalogue entry
     * @param listPrice the manifest's {@code price_per_wsi}, or null
     */
    public record Registered(ApplicationManifest manifest, ApplicationVersion version, BigDecimal listPrice) {}

    /** Everything the catalogue serves at one moment; replaced as a whole when registered versions change. */
    private record State(
            Map<String, Application> applications,
            Map<String, MetadataSchema> inputSchemas,
            Map<String, BigDecimal> listPrices,
            Map<String, ApplicationManifest> manifests) {}

    private final List<Application> builtIn;
    private final Map<String, BigDecimal> builtInPrices;
    private volatile State state;

    private ApplicationCatalogue(List<Application> applications, Map<String, BigDecimal> listPrices) {
        this.builtIn = List.copyOf(applications);
        this.builtInPrices = Map.copyOf(listPrices);
        this.state = state(builtIn, builtInPrices, Map.of());
    }

    private static State state(
            List<Application> applications,
            Map<String, BigDecimal> listPrices,
            Map<String, ApplicationManifest> manifests) {
        Map<String, Application> byId = new LinkedHashMap<>();
        Map<String, MetadataSchema> schemas = new HashMap<>();
        for (Application application : applications) {
            if (byId.put(application.applicationId(), application) != null) {
                throw new IllegalArgumentException("application " + application.applicationId() + " defined twice");
            }
            for (ApplicationVersion version : application.versions()) {
                for (ArtifactSpec input : version.inputArtifacts()) {
                    schemas.put(
                            key(application.applicationId(), version.number(), input.name()),
                            MetadataSchema.compile(input.metadataSchema()));
                }
            }
        }
        return new State(Map.copyOf(byId), Map.copyOf(schemas), Map.copyOf(listPrices), Map.copyOf(manifests));
    }

    /**
     * Serves the built-in applications and these registered versions (all of them, replacing those served before).
     * An application's name, description and regulatory classes are those of its latest registered version.
     *
     * @throws IllegalArgumentException a registered version names a built-in application
     */
    public synchronized void replaceRegistered(List<Registered> registered) {
        Map<String, List<Registered>> byApplication = new LinkedHashMap<>();
        for (Registered r : registered) {
            String id = r.manifest().applicationId();
            if (isBuiltIn(id)) {
                throw new IllegalArgumentException("application " + id + " is built in; manifests cannot add to it");
            }
            byApplication.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        }
        List<Application> all = new ArrayList<>(builtIn);
        Map<String, BigDecimal> prices = new HashMap<>(builtInPrices);
        Map<String, ApplicationManifest> manifests = new HashMap<>();
        for (Map.Entry<String, List<Registered>> entry : byApplication.entrySet()) {
            List<Registered> versions = entry.getValue().stream()
                    .sorted(Comparator.comparing(r -> r.version().semanticVersion()))
                    .toList();
            ApplicationManifest latest = versions.getLast().manifest();
            for (Registered r : versions) {
                String k = key(entry.getKey(), r.version().number(), "");
                manifests.put(k, r.manifest());
                if (r.listPrice() != null) {
                    prices.put(k, r.listPrice());
                }
            }
            all.add(new Application(
                    entry.getKey(),
                    latest.name(),
                    latest.description(),
                    latest.regulatoryClasses(),
                    versions.stream().map(Registered::version).toList(),
                    false));
        }
        this.state = state(all, prices, manifests);
    }

    /** Whether {@code catalogue.json} defines this application (manifests may not add versions to it). */
    public boolean isBuiltIn(String applicationId) {
        return builtIn.stream().anyMatch(a -> a.applicationId().equals(applicationId));
    }

    /** The manifest of a version registered from one; empty for built-in versions. */
    public Optional<ApplicationManifest> manifest(String applicationId, String version) {
        return Optional.ofNullable(state.manifests().get(key(applicationId, version, "")));
    }

    public static ApplicationCatalogue load(ObjectMapper mapper) {
        try (InputStream in = ApplicationCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return fromJson(mapper.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static ApplicationCatalogue fromJson(JsonNode root) {
        List<Application> applications = new ArrayList<>();
        Map<String, BigDecimal> listPrices = new HashMap<>();
        for (JsonNode app : root.withArray("applications")) {
            List<ApplicationVersion> versions = new ArrayList<>();
            for (JsonNode version : app.withArray("versions")) {
                listPrice(version)
                        .ifPresent(price ->
                                listPrices.put(key(text(app, "application_id"), text(version, "number"), ""), price));
                versions.add(new ApplicationVersion(
                        text(version, "number"),
                        Instant.parse(text(version, "released_at")),
                        text(version, "changelog"),
                        artifacts(version.withArray("input_artifacts")),
                        artifacts(version.withArray("output_artifacts")),
                        errorThreshold(version.get("error_threshold"))));
            }
            List<String> classes = new ArrayList<>();
            app.withArray("regulatory_classes").forEach(c -> classes.add(c.asText()));
            applications.add(new Application(
                    text(app, "application_id"),
                    text(app, "name"),
                    text(app, "description"),
                    classes,
                    versions,
                    app.path("free").asBoolean(false)));
        }
        return new ApplicationCatalogue(applications, listPrices);
    }

    /** A version's {@code price_per_wsi} (a decimal, written as a string so that it stays exact), if it has one. */
    private static Optional<BigDecimal> listPrice(JsonNode version) {
        JsonNode price = version.get("price_per_wsi");
        if (price == null || price.isNull()) {
            return Optional.empty();
        }
        try {
            BigDecimal value = new BigDecimal(price.asText());
            if (value.signum() < 0) {
                throw new IllegalArgumentException(
                        "negative price_per_wsi in catalogue entry " + version.get("number"));
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "price_per_wsi of catalogue entry " + version.get("number") + " is not a decimal: " + price, e);
        }
    }

    /** A version's {@code error_threshold}; the platform's default where the entry or one of its parts is missing. */
    private static ErrorThreshold errorThreshold(JsonNode node) {
        if (node == null || node.isNull()) {
            return ErrorThreshold.DEFAULT;
        }
        JsonNode min = node.path("min_failed_items");
        JsonNode percent = node.path("max_failed_percent");
        if ((!min.isMissingNode() && !min.isInt()) || (!percent.isMissingNode() && !percent.isInt())) {
            throw new IllegalArgumentException(
                    "error_threshold takes integers min_failed_items and max_failed_percent: " + node);
        }
        return ErrorThreshold.DEFAULT.overriddenBy(
                min.isInt() ? min.asInt() : null, percent.isInt() ? percent.asInt() : null);
    }

    private static List<ArtifactSpec> artifacts(JsonNode array) {
        List<ArtifactSpec> specs = new ArrayList<>();
        for (JsonNode artifact : array) {
            JsonNode schema = artifact.get("metadata_schema");
            if (!(schema instanceof ObjectNode objectSchema)) {
                throw new IllegalArgumentException("artifact " + artifact.get("name") + " has no metadata_schema");
            }
            specs.add(new ArtifactSpec(
                    text(artifact, "name"),
                    text(artifact, "mime_type"),
                    objectSchema,
                    artifact.path("scope").isTextual() ? artifact.get("scope").asText() : null,
                    artifact.path("visibility").isTextual()
                            ? artifact.get("visibility").asText()
                            : null));
        }
        return specs;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("catalogue entry lacks text field '" + field + "': " + node);
        }
        return value.asText();
    }

    private static String key(String applicationId, String version, String artifact) {
        return applicationId + "\u0000" + version + "\u0000" + artifact;
    }

    /** Every application, ordered by id. */
    public List<Application> applications() {
        return state.applications().values().stream()
                .sorted(Comparator.comparing(Application::applicationId))
                .toList();
    }

    public Optional<Application> application(String applicationId) {
        return Optional.ofNullable(state.applications().get(applicationId));
    }

    /**
     * The price per WSI the catalogue lists for a version, in the platform's currency; empty when it lists none. What
     * is charged is decided by the billing rules (a super-admin's price overrides this one).
     */
    public Optional<BigDecimal> listPricePerWsi(String applicationId, String version) {
        return Optional.ofNullable(state.listPrices().get(key(applicationId, version, "")));
    }

    /** The compiled metadata schema of an input artifact of a version. */
    public MetadataSchema inputSchema(String applicationId, String version, String artifactName) {
        MetadataSchema schema = state.inputSchemas().get(key(applicationId, version, artifactName));
        if (schema == null) {
            throw new IllegalArgumentException("no input " + artifactName + " in " + applicationId + " " + version);
        }
        return schema;
    }
}
