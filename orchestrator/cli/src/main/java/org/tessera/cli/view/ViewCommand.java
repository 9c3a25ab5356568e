package org.tessera.cli.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;
import org.tessera.cli.Session;
import org.tessera.cli.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tessera view <file> [--run RUN_ID]}: the viewer on a local slide, with or without a run's results. */
@Command(
        name = "view",
        description = "Open the viewer on a local slide, with a run's results over it when --run is given; serves on"
                + " 127.0.0.1 until interrupted.")
public final class ViewCommand implements Callable<Integer> {

    @Mixin
    Session session;

    @Parameters(index = "0", paramLabel = "SLIDE")
    Path slide;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "Overlay this run's results for the slide.")
    String runId;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Port (default: any free one).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(slide)) {
            throw new CliException(ExitCode.USAGE, slide + ": no such file");
        }
        SlideViewer viewer = ServiceLoader.load(SlideViewer.class)
                .findFirst()
                .orElseThrow(() -> new CliException(
                        ExitCode.UNAVAILABLE,
                        "viewer not available in this build: no slide viewer is on the class path"));
        URI page = viewer.serve(new SlideViewer.Request(
                slide,
                Optional.ofNullable(runId),
                URI.create(session.apiUrl()),
                runId == null ? () -> null : session::bearerToken,
                port));
        if (session.json()) {
            ObjectNode event = ApiClient.JSON.createObjectNode();
            event.put("event", "viewer_ready");
            event.put("url", page.toString());
            session.printJson(event);
        } else {
            session.terminal().out().println("Viewer at " + page + " (Ctrl-C to stop)");
        }
        Thread.currentThread().join();
        return ExitCode.OK;
    }
}
