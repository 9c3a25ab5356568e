package org.tessera.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tessera.deploy.kubernetes.CustomResources.Kafka;
import org.tessera.deploy.kubernetes.Kustomize.Rendered;

/**
 * Every series an alert or a dashboard panel queries exists: emitted by the services (found by {@link MetricCatalog}),
 * with every label the query matches on, or by Strimzi's Kafka Exporter, which the Kafka resource must enable.
 */
class MonitoringTest {

    /** Series Strimzi's Kafka Exporter emits (kafka_exporter), with their labels. */
    static final Map<String, Set<String>> KAFKA_EXPORTER =
            Map.of("kafka_consumergroup_lag", Set.of("consumergroup", "topic", "partition"));

    /** Labels Prometheus adds to every scraped series. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "pod", "service", "container");

    static final List<Path> SOURCES = List.of(
            Repository.ROOT.resolve("orchestrator/src/main/java"),
            Repository.ROOT.resolve("worker/service/src/main/java"),
            Repository.ROOT.resolve("contracts/messages/src/main/java"));

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan");

    @Test
    void theCatalogSeesTheServicesMetrics() {
        Map<String, Set<String>> exposed = MetricCatalog.exposed(SOURCES);
        assertThat(exposed)
                .containsKeys(
                        "tessera_worker_slides_processed_total",
                        "tessera_worker_processing_seconds_count",
                        "tessera_outbox_oldest_age_seconds",
                        "jvm_memory_used_bytes");
        assertThat(exposed.get("tessera_worker_slides_processed_total")).contains("application", "outcome");
        assertThat(exposed.get("tessera_items_terminal_total")).contains("reason");
    }

    @Test
    void everyAlertAndPanelQueriesSeriesThatExist() throws Exception {
        List<Rendered> objects = Kustomize.render(Repository.BASE);
        Map<String, String> queries = new LinkedHashMap<>();
        for (Rendered r : objects) {
            if (r.kind().equals("PrometheusRule")) {
                for (RuleGroup group :
                        Models.as(r, PrometheusRule.class).getSpec().getGroups()) {
                    for (Rule rule : group.getRules()) {
                        queries.put("alert " + rule.getAlert(), rule.getExpr().getStrVal());
                    }
                }
            }
            if (r.kind().equals("ConfigMap") && r.name().equals("tessera-grafana-dashboard")) {
                JsonNode dashboard = new ObjectMapper()
                        .readTree(Models.as(r, ConfigMap.class).getData().get("tessera-dashboard.json"));
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        queries.put(
                                "panel " + panel.path("title").asText() + " "
                                        + target.path("refId").asText(),
                                target.path("expr").asText());
                    }
                }
            }
        }
        assertThat(queries).hasSizeGreaterThan(15);
        Map<String, Set<String>> known = new TreeMap<>(MetricCatalog.exposed(SOURCES));
        Kafka kafka = objects.stream()
                .filter(r -> r.kind().equals("Kafka"))
                .map(r -> Models.as(r, Kafka.class))
                .findFirst()
                .orElseThrow();
        if (kafka.spec().kafkaExporter() != null) {
            known.putAll(KAFKA_EXPORTER);
        }
        List<String> problems = new ArrayList<>();
        queries.forEach((where, query) -> problems.addAll(check(where, query, known)));
        assertThat(problems).isEmpty();
    }

    @Test
    void aMisspeltMetricOrLabelIsReported() {
        Map<String, Set<String>> known = Map.of("tessera_items_requeued_total", Set.of("reason"));
        assertThat(check("x", "sum(rate(tessera_items_requeud_total[5m]))", known))
                .singleElement()
                .asString()
                .contains("tessera_items_requeud_total");
        assertThat(check("x", "sum by (reason) (tessera_items_requeued_total{outcome=\"a\"})", known))
                .singleElement()
                .asString()
                .contains("outcome");
        assertThat(check(
                        "x",
                        "sum by (reason) (increase(tessera_items_requeued_total{reason=~\"a|b\"}[1h])) > 0",
                        known))
                .isEmpty();
    }

    static List<String> check(String where, String query, Map<String, Set<String>> known) {
        List<String> problems = new ArrayList<>();
        String noStrings = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        Matcher selector =
                Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}").matcher(noStrings);
        while (selector.find()) {
            Set<String> labels = known.get(selector.group(1));
            Matcher label =
                    Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)").matcher(selector.group(2));
            while (label.find() && labels != null) {
                if (!labels.contains(label.group(1)) && !TARGET_LABELS.contains(label.group(1))) {
                    problems.add(where + ": " + selector.group(1) + " has no label " + label.group(1));
                }
            }
        }
        String bare = noStrings
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Matcher token = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
        while (token.find()) {
            String name = token.group(1);
            boolean function = token.group(2) != null;
            if (function || KEYWORDS.contains(name.toLowerCase())) {
                continue;
            }
            if (!known.containsKey(name)) {
                problems.add(where + ": no service emits " + name);
            }
        }
        return problems;
    }
}
