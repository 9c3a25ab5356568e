package org.tessera.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;
import org.tessera.cli.Session;
import org.tessera.cli.Terminal;
import org.tessera.cli.api.ApiClient;

/**
 * Follows a run until it terminates, in one of three ways: on a terminal, one progress bar per slide redrawn in place;
 * elsewhere (a pipe, a CI log), one line each time a slide's state or stage changes; with {@code --json}, one JSON
 * object per line for the same changes and a last one for the run. The exit code says whether every item succeeded.
 */
final class RunWatcher {

    private static final int BAR_WIDTH = 30;

    private final Session session;
    private final Duration interval;
    private final Map<String, ItemView> shown = new LinkedHashMap<>();
    private String shownRunState;
    private int drawnLines;

    RunWatcher(Session session, Duration interval) {
        this.session = session;
        this.interval = interval;
    }

    int watch(String runId) {
        ApiClient api = session.api();
        String path = "runs/" + ApiClient.encode(runId);
        while (true) {
            JsonNode run = api.get(path);
            List<ItemView> items = new ArrayList<>();
            api.getAll(path + "/items", "page_size").forEach(item -> items.add(ItemView.of(item)));
            String runState = run.path("state").asText();
            show(runId, run, runState, items);
            if ("TERMINATED".equals(runState)) {
                return finish(runId, run, items);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.INTERRUPTED, "interrupted");
            }
        }
    }

    private void show(String runId, JsonNode run, String runState, List<ItemView> items) {
        Terminal terminal = session.terminal();
        if (session.json()) {
            if (!runState.equals(shownRunState)) {
                ObjectNode event = ApiClient.JSON.createObjectNode();
                event.put("event", "run");
                event.put("run_id", runId);
                event.put("state", runState);
                session.printJson(event);
            }
            for (ItemView item : items) {
                if (!item.equals(shown.get(item.externalId()))) {
                    session.printJson(itemEvent(runId, item));
                }
            }
        } else if (terminal.interactive()) {
            redraw(terminal, runId, runState, items);
        } else {
            PrintStream out = terminal.out();
            if (!runState.equals(shownRunState)) {
                out.println("run " + runId + " " + runState);
            }
            for (ItemView item : items) {
                ItemView before = shown.get(item.externalId());
                // A line per change of state or stage, and per tenth of the tiles: enough to see it move, few enough
                // for a log.
                if (before == null
                        || !before.status().equals(item.status())
                        || !java.util.Objects.equals(before.stage(), item.stage())
                        || (int) (before.fraction() * 10) != (int) (item.fraction() * 10)) {
                    out.println("item " + item.describe());
                }
            }
            out.flush();
        }
        shownRunState = runState;
        items.forEach(item -> shown.put(item.externalId(), item));
    }

    private void redraw(Terminal terminal, String runId, String runState, List<ItemView> items) {
        PrintStream out = terminal.out();
        StringBuilder frame = new StringBuilder();
        if (drawnLines > 0) {
            frame.append("\u001b[").append(drawnLines).append('F');
        }
        frame.append("\u001b[2K")
                .append("run ")
                .append(runId)
                .append(' ')
                .append(terminal.bold(runState))
                .append('\n');
        int width = items.stream().mapToInt(i -> i.externalId().length()).max().orElse(0);
        for (ItemView item : items) {
            int filled = (int) Math.round(item.fraction() * BAR_WIDTH);
            String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
            String status = item.terminated()
                    ? (item.succeeded() ? terminal.green(item.status()) : terminal.red(item.status()))
                    : item.status() + (item.stage() == null ? "" : " " + item.stage());
            frame.append("\u001b[2K")
                    .append(item.externalId())
                    .append(" ".repeat(width - item.externalId().length()))
                    .append(" [")
                    .append(bar)
                    .append("] ")
                    .append(String.format("%3d%%", Math.round(item.fraction() * 100)))
                    .append(' ')
                    .append(status)
                    .append('\n');
        }
        out.print(frame);
        out.flush();
        drawnLines = items.size() + 1;
    }

    private int finish(String runId, JsonNode run, List<ItemView> items) {
        long succeeded = items.stream().filter(ItemView::succeeded).count();
        boolean allSucceeded = succeeded == items.size() && !items.isEmpty();
        if (session.json()) {
            ObjectNode event = ApiClient.JSON.createObjectNode();
            event.put("event", "run_finished");
            event.put("run_id", runId);
            event.put("state", run.path("state").asText());
            event.put("termination_reason", run.path("termination_reason").asText(null));
            event.put("output", run.path("output").asText(null));
            event.put("items", items.size());
            event.put("succeeded", succeeded);
            event.set("statistics", run.path("statistics"));
            session.printJson(event);
        } else {
            Terminal terminal = session.terminal();
            String summary =
                    "run " + runId + " " + run.path("termination_reason").asText("TERMINATED") + ": " + succeeded
                            + " of " + items.size() + " slides succeeded";
            terminal.out().println(allSucceeded ? terminal.green(summary) : terminal.yellow(summary));
            for (ItemView item : items) {
                if (!item.succeeded()) {
                    terminal.out().println("  " + terminal.red(item.describe()));
                }
            }
        }
        return allSucceeded ? ExitCode.OK : ExitCode.RUN_FAILED_ITEMS;
    }

    private static ObjectNode itemEvent(String runId, ItemView item) {
        ObjectNode event = ApiClient.JSON.createObjectNode();
        event.put("event", "item");
        event.put("run_id", runId);
        event.put("external_id", item.externalId());
        event.put("status", item.status());
        event.put("terminated", item.terminated());
        event.put("stage", item.stage());
        event.put("tiles_done", item.tilesDone());
        event.put("tiles_total", item.tilesTotal());
        event.put("error_code", item.errorCode());
        event.put("error_message", item.errorMessage());
        return event;
    }
}
