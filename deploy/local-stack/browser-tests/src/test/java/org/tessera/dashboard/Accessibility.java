package org.tessera.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Checks a page against the WCAG 2 A and AA rules of axe-core (the engine browsers' accessibility tools use), run
 * inside the page as it is shown, and answers one line per violation: the rule, its impact, and the elements at fault.
 */
final class Accessibility {

    private static final String AXE = "/META-INF/resources/webjars/axe-core/" + axeVersion() + "/axe.min.js";

    private final String source;

    Accessibility() {
        try (InputStream in = Accessibility.class.getResourceAsStream(AXE)) {
            if (in == null) {
                throw new IllegalStateException("axe-core is not on the test class path (" + AXE + ")");
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + AXE, e);
        }
    }

    /**
     * The violations on the page now, empty when there are none; a run of axe that checked no rule at all (so that
     * "no violations" would mean nothing) counts as one.
     */
    @SuppressWarnings("unchecked")
    List<String> violations(JavascriptExecutor page) {
        page.executeScript("if (!window.axe) { " + source + " }");
        Map<String, Object> answer = (Map<String, Object>) page.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                  .then(result => done({passed: result.passes.length, violations: result.violations.map(v => ({
                    rule: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))}))
                  .catch(error => done({passed: 0, violations: [{rule: 'axe-failed', impact: 'critical',
                    help: String(error), nodes: []}]}));
                """);
        List<String> violations = new ArrayList<>(((List<Map<String, Object>>) answer.get("violations"))
                .stream()
                        .map(v -> v.get("rule") + " (" + v.get("impact") + "): " + v.get("help") + " at "
                                + v.get("nodes"))
                        .toList());
        if (((Number) answer.get("passed")).intValue() == 0 && violations.isEmpty()) {
            violations.add("axe-core checked no rule on this page");
        }
        return violations;
    }

    /** The webjar's version, from its own Maven metadata, so that the pom alone says which axe-core runs. */
    private static String axeVersion() {
        String metadata = "/META-INF/maven/org.webjars.npm/axe-core/pom.properties";
        try (InputStream in = Accessibility.class.getResourceAsStream(metadata)) {
            if (in == null) {
                throw new IllegalStateException("axe-core is not on the test class path (" + metadata + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + metadata, e);
        }
    }
}
