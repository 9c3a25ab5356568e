package org.tessera.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;
import org.tessera.cli.Session;
import org.tessera.cli.Table;
import org.tessera.cli.Terminal;
import org.tessera.cli.api.ApiClient;
import org.tessera.cli.slides.LocalSlide;
import org.tessera.cli.slides.SlideScanner;
import org.tessera.slides.SlideReaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tessera runs submit|watch|download|list|cancel|delete}. */
@Command(
        name = "runs",
        description = "Submit slides, follow runs and fetch their results.",
        subcommands = {
            RunsCommand.Submit.class,
            RunsCommand.Watch.class,
            RunsCommand.Download.class,
            RunsCommand.ListRuns.class,
            RunsCommand.Cancel.class,
            RunsCommand.Delete.class
        })
public final class RunsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** The input artifact every application of the platform takes. */
    static final String INPUT_ARTIFACT = "whole_slide_image";

    @Command(
            name = "submit",
            description = "Read each slide's size and resolution, upload the slides to your organization's bucket"
                    + " through signed URLs, and submit a run.")
    static final class Submit implements Callable<Integer> {

        @Mixin
        Session session;

        @Parameters(index = "0", paramLabel = "APPLICATION", description = "e.g. test-app")
        String applicationId;

        @Parameters(
                index = "1..*",
                arity = "1..*",
                paramLabel = "SLIDE",
                description = "Slide files, or folders searched for .svs, .tif, .tiff, .dcm and .zip files.")
        List<Path> paths;

        @Option(names = "--version", paramLabel = "VERSION", description = "Application version (default: latest).")
        String version;

        @Option(names = "--mpp", paramLabel = "MPP", description = "Resolution for slides that state none (µm/px).")
        Double mpp;

        @Option(names = "--staining-method", paramLabel = "METHOD", description = "e.g. H&E (he-tme requires it).")
        String stainingMethod;

        @Option(names = "--tissue", paramLabel = "TISSUE", description = "Specimen tissue (he-tme requires it).")
        String tissue;

        @Option(names = "--disease", paramLabel = "DISEASE", description = "Specimen disease (he-tme requires it).")
        String disease;

        @Option(names = "--note", paramLabel = "TEXT", description = "A note stored with the run.")
        String note;

        @Option(names = "--tag", paramLabel = "TAG", description = "A tag stored with the run (repeatable).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--watch", description = "Follow the run until it ends (as runs watch).")
        boolean watch;

        @Option(
                names = "--interval",
                paramLabel = "SECONDS",
                defaultValue = "5",
                description = "Seconds between polls with --watch (default ${DEFAULT-VALUE}).")
        int interval;

        @Override
        public Integer call() {
            Terminal terminal = session.terminal();
            List<Path> files = SlideScanner.expand(paths);
            SlideScanner scanner = new SlideScanner(SlideReaders.builtIn());
            List<LocalSlide> slides = new ArrayList<>();
            for (Path file : files) {
                LocalSlide slide = scanner.scan(file, mpp);
                slides.add(slide);
                if (!session.json()) {
                    terminal.err()
                            .printf(
                                    Locale.ROOT,
                                    "read %s: %d x %d px at %.4f µm/px, %s, %s%n",
                                    slide.externalId(),
                                    slide.width(),
                                    slide.height(),
                                    slide.mpp(),
                                    slide.format(),
                                    megabytes(slide.sizeBytes()));
                }
            }
            ApiClient api = session.api();
            String health = api.health();
            if (!"UP".equals(health)) {
                throw new CliException(
                        ExitCode.UNAVAILABLE, "the platform at " + api.root() + " is " + health + "; not submitting");
            }

            ObjectNode uploadRequest = ApiClient.JSON.createObjectNode();
            ArrayNode names = uploadRequest.putArray("files");
            slides.forEach(slide -> names.addObject().put("name", slide.externalId()));
            JsonNode upload = api.post("uploads", uploadRequest, 200);
            SlideUploader uploader = new SlideUploader(api.http());
            List<JsonNode> targets = new ArrayList<>();
            upload.path("files").forEach(targets::add);
            for (int i = 0; i < slides.size(); i++) {
                LocalSlide slide = slides.get(i);
                uploader.upload(
                        java.net.URI.create(targets.get(i).path("upload_url").asText()), slide);
                if (!session.json()) {
                    terminal.err()
                            .println("uploaded " + slide.externalId() + " (" + megabytes(slide.sizeBytes()) + ")");
                }
            }

            ObjectNode request = runRequest(slides, targets);
            String runId = api.post("runs", request, 201).path("run_id").asText();
            if (session.json()) {
                ObjectNode out = ApiClient.JSON.createObjectNode();
                out.put("event", "submitted");
                out.put("run_id", runId);
                out.put("application_id", applicationId);
                out.put("version_number", version);
                ArrayNode items = out.putArray("items");
                for (int i = 0; i < slides.size(); i++) {
                    LocalSlide slide = slides.get(i);
                    ObjectNode item = items.addObject();
                    item.put("external_id", slide.externalId());
                    item.put("object_key", targets.get(i).path("object_key").asText());
                    item.put("width_px", slide.width());
                    item.put("height_px", slide.height());
                    item.put("resolution_mpp", slide.mpp());
                    item.put("media_type", slide.mediaType());
                    item.put("size_bytes", slide.sizeBytes());
                    item.put("checksum_base64_crc32c", slide.checksum());
                }
                session.printJson(out);
            } else {
                terminal.out()
                        .println(terminal.green("Submitted") + " run " + runId + " (" + slides.size() + " slide"
                                + (slides.size() == 1 ? "" : "s") + " for " + applicationId + ")");
                if (!watch) {
                    terminal.out().println("Follow it with: tessera runs watch " + runId);
                }
            }
            if (watch) {
                return new RunWatcher(session, Duration.ofSeconds(Math.max(1, interval))).watch(runId);
            }
            return ExitCode.OK;
        }

        private ObjectNode runRequest(List<LocalSlide> slides, List<JsonNode> targets) {
            ObjectNode request = ApiClient.JSON.createObjectNode();
            request.put("application_id", applicationId);
            if (version != null) {
                request.put("version_number", version);
            }
            ObjectNode sdk = request.putObject("custom_metadata").putObject("sdk");
            sdk.put("client", "tessera-cli");
            if (note != null) {
                sdk.put("note", note);
            }
            if (!tags.isEmpty()) {
                ArrayNode array = sdk.putArray("tags");
                tags.forEach(array::add);
            }
            ArrayNode items = request.putArray("items");
            for (int i = 0; i < slides.size(); i++) {
                LocalSlide slide = slides.get(i);
                ObjectNode item = items.addObject();
                item.put("external_id", slide.externalId());
                ObjectNode artifact = item.putArray("input_artifacts").addObject();
                artifact.put("name", INPUT_ARTIFACT);
                artifact.put("download_url", targets.get(i).path("download_url").asText());
                ObjectNode metadata = artifact.putObject("metadata");
                metadata.put("checksum_base64_crc32c", slide.checksum());
                metadata.put("width_px", slide.width());
                metadata.put("height_px", slide.height());
                metadata.put("resolution_mpp", slide.mpp());
                metadata.put("media_type", slide.mediaType());
                if (stainingMethod != null) {
                    metadata.put("staining_method", stainingMethod);
                }
                if (tissue != null || disease != null) {
                    ObjectNode specimen = metadata.putObject("specimen");
                    if (tissue != null) {
                        specimen.put("tissue", tissue);
                    }
                    if (disease != null) {
                        specimen.put("disease", disease);
                    }
                }
            }
            return request;
        }
    }

    @Command(
            name = "watch",
            description = "Follow a run until it ends: progress bars on a terminal, a line per change otherwise."
                    + " Exits 0 when every slide succeeded, 1 otherwise.")
    static final class Watch implements Callable<Integer> {

        @Mixin
        Session session;

        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Option(
                names = "--interval",
                paramLabel = "SECONDS",
                defaultValue = "5",
                description = "Seconds between polls (default ${DEFAULT-VALUE}).")
        int interval;

        @Override
        public Integer call() {
            return new RunWatcher(session, Duration.ofSeconds(Math.max(1, interval))).watch(runId);
        }
    }

    @Command(
            name = "download",
            description = "Download every available result of a run into DIR/<run id>/<slide>/, checking each file's"
                    + " CRC32C; an interrupted download resumes where it stopped.")
    static final class Download implements Callable<Integer> {

        @Mixin
        Session session;

        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "DIR",
                defaultValue = "results",
                description = "Where to put the results (default ${DEFAULT-VALUE}).")
        Path output;

        @Override
        public Integer call() {
            ApiClient api = session.api();
            String runPath = "runs/" + ApiClient.encode(runId);
            api.get(runPath);
            Terminal terminal = session.terminal();
            int files = 0;
            for (JsonNode item : api.getAll(runPath + "/items", "page_size")) {
                String externalId = item.path("external_id").asText();
                for (ItemResults.File file : ItemResults.download(
                        api, runId, item, output.resolve(runId).resolve(safe(externalId)))) {
                    String name = file.artifact();
                    Path target = file.path();
                    ArtifactDownloader.Outcome outcome = file.outcome();
                    files++;
                    if (session.json()) {
                        ObjectNode event = ApiClient.JSON.createObjectNode();
                        event.put("event", "artifact");
                        event.put("run_id", runId);
                        event.put("external_id", externalId);
                        event.put("artifact", name);
                        event.put("file", target.toString());
                        event.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
                        event.put("checksum_base64_crc32c", file.checksum());
                        session.printJson(event);
                    } else {
                        terminal.out()
                                .println(switch (outcome) {
                                            case DOWNLOADED -> "downloaded ";
                                            case RESUMED -> "resumed    ";
                                            case ALREADY_PRESENT -> "present    ";
                                        }
                                        + target + " (CRC32C ok)");
                    }
                }
            }
            if (session.json()) {
                ObjectNode done = ApiClient.JSON.createObjectNode();
                done.put("event", "download_finished");
                done.put("run_id", runId);
                done.put("files", files);
                done.put("directory", output.resolve(runId).toString());
                session.printJson(done);
            } else {
                terminal.out().println(files + " file" + (files == 1 ? "" : "s") + " in " + output.resolve(runId));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "list", description = "Your runs, newest first.")
    static final class ListRuns implements Callable<Integer> {

        @Mixin
        Session session;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "20",
                description = "At most this many (1 to 100, default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 100) {
                throw new CliException(ExitCode.USAGE, "--limit must be 1 to 100, not " + limit);
            }
            JsonNode page = session.api().get("runs?page=1&page_size=" + Math.max(5, limit) + "&sort=-submitted_at");
            List<JsonNode> runs = new ArrayList<>();
            page.forEach(run -> {
                if (runs.size() < limit) {
                    runs.add(run);
                }
            });
            if (session.json()) {
                ArrayNode array = ApiClient.JSON.createArrayNode();
                runs.forEach(array::add);
                session.printJson(array);
                return ExitCode.OK;
            }
            Table table = new Table("RUN", "APPLICATION", "STATE", "OUTPUT", "SUCCEEDED", "SUBMITTED");
            for (JsonNode run : runs) {
                JsonNode statistics = run.path("statistics");
                table.row(
                        run.path("run_id").asText(),
                        run.path("application_id").asText() + " "
                                + run.path("version_number").asText(""),
                        run.path("state").asText()
                                + (run.hasNonNull("termination_reason")
                                        ? " " + run.path("termination_reason").asText()
                                        : ""),
                        run.path("output").asText(),
                        statistics.path("item_succeeded_count").asInt() + "/"
                                + statistics.path("item_count").asInt(),
                        run.path("submitted_at").asText());
            }
            table.print(session.terminal().out());
            return ExitCode.OK;
        }
    }

    @Command(name = "cancel", description = "Cancel a run: pending slides are skipped, running ones stopped.")
    static final class Cancel implements Callable<Integer> {

        @Mixin
        Session session;

        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Override
        public Integer call() {
            session.api().send("POST", "runs/" + ApiClient.encode(runId) + "/cancel", 202);
            report(session, "cancel_requested", runId, "Cancelling run " + runId);
            return ExitCode.OK;
        }
    }

    @Command(name = "delete", description = "Delete a run's results from the platform (the run's record stays).")
    static final class Delete implements Callable<Integer> {

        @Mixin
        Session session;

        @Parameters(index = "0", paramLabel = "RUN_ID")
        String runId;

        @Override
        public Integer call() {
            session.api().send("DELETE", "runs/" + ApiClient.encode(runId) + "/artifacts", 200, 202, 204);
            report(session, "results_deleted", runId, "Deleted the results of run " + runId);
            return ExitCode.OK;
        }
    }

    private static void report(Session session, String event, String runId, String message) {
        if (session.json()) {
            ObjectNode out = ApiClient.JSON.createObjectNode();
            out.put("event", event);
            out.put("run_id", runId);
            session.printJson(out);
        } else {
            session.terminal().out().println(message);
        }
    }

    private static final Map<String, String> EXTENSIONS = Map.of(
            "image/tiff", ".tiff",
            "image/png", ".png",
            "application/geo+json", ".geojson",
            "application/json", ".json",
            "text/csv", ".csv",
            "application/vnd.apache.parquet", ".parquet");

    static String extension(String mediaType) {
        return EXTENSIONS.getOrDefault(mediaType.toLowerCase(Locale.ROOT), "");
    }

    /** A file name from an id the platform accepted: path separators and control characters replaced. */
    static String safe(String name) {
        String safe = name.replaceAll("[/\\\\\\p{Cntrl}]", "_");
        return safe.equals(".") || safe.equals("..") || safe.isEmpty() ? "_" + safe : safe;
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
