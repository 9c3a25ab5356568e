package org.tessera.deploy.kubernetes;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's {@code application.properties}, read the way the manifests need it (no profile, defaults). */
record ServiceConfig(Path file, Properties properties, Set<String> documented) {

    /** A commented-out property line ({@code #tessera.worker.id=}): the property exists, with no default. */
    private static final Pattern COMMENTED_PROPERTY = Pattern.compile("^#\\s?([a-z][a-zA-Z0-9.\\-\"]+)=.*$");

    static ServiceConfig orchestrator() {
        return load(Repository.ROOT.resolve("orchestrator/src/main/resources/application.properties"));
    }

    static ServiceConfig worker() {
        return load(Repository.ROOT.resolve("worker/service/src/main/resources/application.properties"));
    }

    static ServiceConfig load(Path file) {
        try {
            String text = Files.readString(file);
            Properties properties = new Properties();
            properties.load(new StringReader(text));
            Set<String> documented = new HashSet<>(properties.stringPropertyNames());
            for (String line : text.split("\n")) {
                Matcher m = COMMENTED_PROPERTY.matcher(line.strip());
                if (m.matches()) {
                    documented.add(m.group(1));
                }
            }
            documented.removeIf(k -> k.startsWith("%"));
            return new ServiceConfig(file, properties, documented);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::strip);
    }

    String require(String key) {
        return get(key).orElseThrow(() -> new IllegalStateException(file + " has no " + key));
    }

    int httpPort() {
        return Integer.parseInt(require("quarkus.http.port"));
    }

    /**
     * Where /q/health and /q/metrics are served: the management interface's port when it is enabled
     * ({@code quarkus.management.enabled=true}, port {@code quarkus.management.port}, 9000 by default), else the HTTP
     * port.
     */
    int managementPort() {
        if (Boolean.parseBoolean(get("quarkus.management.enabled").orElse("false"))) {
            return Integer.parseInt(get("quarkus.management.port").orElse("9000"));
        }
        return httpPort();
    }

    /** The root of the health and metrics paths ({@code /q} unless moved). */
    String nonApplicationRoot() {
        return "/" + get("quarkus.http.non-application-root-path").orElse("q").replaceAll("^/+|/+$", "");
    }

    /** Whether an environment variable sets a property this service documents (MicroProfile Config's mapping). */
    boolean knowsEnvironmentVariable(String name) {
        return documented.stream().anyMatch(key -> environmentName(key).equals(name));
    }

    /** MicroProfile Config's environment name of a property: non-alphanumerics to '_', upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^a-zA-Z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
