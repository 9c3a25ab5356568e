package org.tessera.deploy.kubernetes;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series the services really expose, with their labels: every Micrometer registration in the
 * services' main sources (counter, timer, gauge, summary; by name and tag keys) is registered again in a real
 * {@link PrometheusMeterRegistry}, whose scrape gives the exposed names ({@code _total}, {@code _seconds_count}...),
 * plus the JVM binders Quarkus enables by default. The registry is the one quarkus-micrometer-registry-prometheus uses
 * (Prometheus' simpleclient), so names come out exactly as the services expose them.
 */
@SuppressWarnings("deprecation")
final class MetricCatalog {

    /** {@code registry.counter("name", ...)} and friends. */
    private static final Pattern SHORTHAND =
            Pattern.compile("\\.(counter|timer|gauge|summary)\\(\\s*\"([a-z][a-z0-9._]*)\"");

    /** {@code Counter.builder("name")} and friends. */
    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|Timer|Gauge|DistributionSummary|FunctionCounter)\\.builder\\(\\s*\"([a-z][a-z0-9._]*)\"");

    private static final Pattern BUILDER_TAG = Pattern.compile("\\.tag\\(\\s*\"([a-zA-Z_][a-zA-Z0-9_]*)\"");
    private static final Pattern SHORTHAND_TAG = Pattern.compile("\"([a-zA-Z_][a-zA-Z0-9_]*)\"\\s*,");

    record Registration(String type, String name, Set<String> tags, Path source) {}

    private MetricCatalog() {}

    /** Exposed series name -> its label names. */
    static Map<String, Set<String>> exposed(List<Path> sourceRoots) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        for (Registration r : registrations(sourceRoots)) {
            Tags tags = Tags.empty();
            for (String tag : r.tags()) {
                tags = tags.and(tag, "x");
            }
            switch (r.type()) {
                case "counter", "Counter", "FunctionCounter" -> registry.counter(r.name(), tags);
                case "timer", "Timer" -> registry.timer(r.name(), tags);
                case "gauge", "Gauge" -> registry.gauge(r.name(), tags, new AtomicLong());
                case "summary", "DistributionSummary" -> registry.summary(r.name(), tags);
                default -> throw new IllegalStateException(r.toString());
            }
        }
        Map<String, Set<String>> series = new TreeMap<>();
        for (String line : registry.scrape().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            Set<String> labels = series.computeIfAbsent(name, n -> new TreeSet<>());
            if (brace >= 0 && brace < space) {
                Matcher m = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"")
                        .matcher(line.substring(brace, line.indexOf('}')));
                while (m.find()) {
                    labels.add(m.group(1));
                }
            }
        }
        registry.close();
        return series;
    }

    static List<Registration> registrations(List<Path> sourceRoots) {
        List<Registration> found = new ArrayList<>();
        for (Path root : sourceRoots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file);
                    scan(text, SHORTHAND, SHORTHAND_TAG, file, found);
                    scan(text, BUILDER, BUILDER_TAG, file, found);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private static void scan(String text, Pattern call, Pattern tag, Path file, List<Registration> found) {
        Matcher m = call.matcher(text);
        while (m.find()) {
            int end = text.indexOf(';', m.end());
            String rest = text.substring(m.end(), end < 0 ? text.length() : end);
            Set<String> tags = new TreeSet<>();
            Matcher t = tag.matcher(rest);
            while (t.find()) {
                tags.add(t.group(1));
            }
            found.add(new Registration(m.group(1), m.group(2), tags, file));
        }
    }
}
