package org.tessera.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;
import org.tessera.cli.Session;
import org.tessera.cli.api.ApiClient;
import org.tessera.cli.runs.ItemResults;
import org.tessera.dicom.FileTrees;
import org.tessera.slides.SlideFormatException;
import org.tessera.viewer.ViewerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera view <file> [--results DIR | --run RUN_ID [--item EXTERNAL_ID]]}: the viewer on a local slide, read
 * by the platform's own slide readers, with or without a run's results over it. Serves on 127.0.0.1 only.
 */
@Command(
        name = "view",
        description = "Open the viewer on a local slide, with results over it: a folder of one slide's results"
                + " (--results, e.g. results/<run>/<slide> from 'runs download') or a run's (--run); serves on"
                + " 127.0.0.1 until interrupted.")
public final class ViewCommand implements Callable<Integer> {

    @Mixin
    Session session;

    @Parameters(index = "0", paramLabel = "SLIDE")
    Path slide;

    @Option(names = "--results", paramLabel = "DIR", description = "A folder holding one slide's result files.")
    Path results;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "Overlay this run's results for the slide.")
    String runId;

    @Option(
            names = "--item",
            paramLabel = "EXTERNAL_ID",
            description = "With --run: the slide's external id in the run (default: the file's name).")
    String externalId;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Port (default: any free one).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(slide)) {
            throw new CliException(ExitCode.USAGE, slide + ": no such file");
        }
        if (results != null && runId != null) {
            throw new CliException(ExitCode.USAGE, "--results and --run exclude each other");
        }
        if (results != null && !Files.isDirectory(results)) {
            throw new CliException(ExitCode.USAGE, results + ": not a folder");
        }
        Path overlay = results;
        Path downloaded = null;
        if (runId != null) {
            downloaded = Files.createTempDirectory("tessera-view-");
            overlay = downloaded;
            downloadResults(downloaded);
        }
        ViewerServer server;
        try {
            server = ViewerServer.start(slide, overlay, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (SlideFormatException e) {
            throw new CliException(ExitCode.USAGE, slide + ": " + e.getMessage());
        }
        Path cleanUp = downloaded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                if (cleanUp != null) {
                    FileTrees.deleteRecursively(cleanUp);
                }
            } catch (IOException e) {
                // The process is ending; a temporary folder left behind is harmless.
            }
        }));
        URI page = server.pageUrl();
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

    private void downloadResults(Path directory) {
        ApiClient api = session.api();
        String wanted = externalId != null ? externalId : slide.getFileName().toString();
        for (JsonNode item : api.getAll("runs/" + ApiClient.encode(runId) + "/items", "page_size")) {
            if (wanted.equals(item.path("external_id").asText())) {
                ItemResults.download(api, runId, item, directory);
                return;
            }
        }
        throw new CliException(
                ExitCode.USAGE, "run " + runId + " has no slide with external id " + wanted + " (see --item)");
    }
}
