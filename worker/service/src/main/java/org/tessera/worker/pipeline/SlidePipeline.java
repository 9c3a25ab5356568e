package org.tessera.worker.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tessera.contracts.Crc32c;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.tracing.TraceAttributes;
import org.tessera.dicom.FileTrees;
import org.tessera.models.Application;
import org.tessera.models.ModelRegistry;
import org.tessera.models.Task;
import org.tessera.models.stain.StainCorrection;
import org.tessera.objectstore.ObjectStore;
import org.tessera.slides.DeclaredMetadata;
import org.tessera.slides.MetadataCheck;
import org.tessera.slides.SlideFormatException;
import org.tessera.slides.SlideInfo;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.analysis.ClassMap;
import org.tessera.worker.analysis.SlideAnalyzer;
import org.tessera.worker.common.InputRejectedException;
import org.tessera.worker.common.OutputUploadException;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.common.ProgressSink.Stage;
import org.tessera.worker.common.tracing.Spans;
import org.tessera.worker.fetch.SlideFetcher;
import org.tessera.worker.inference.InferenceEngine;
import org.tessera.worker.manifest.ManifestAnalysis;
import org.tessera.worker.manifest.ModelCache;
import org.tessera.worker.output.CellOutputWriter;
import org.tessera.worker.output.ClassAreaCsvWriter;
import org.tessera.worker.output.GeoJsonWriter;
import org.tessera.worker.output.SegmentationMapWriter;
import org.tessera.worker.slide.SlideErrors;

/**
 * Processes one item: download, open, detect tissue, write the application's outputs, upload them. Knows nothing of
 * Kafka; the caller turns the outcome into item events. Every file lives in a fresh directory under the work dir that
 * is removed at the end, whatever happens. Each stage is a span beneath the caller's (the job's): download, read,
 * the models (in {@link SlideAnalyzer}), writing the outputs, uploading them.
 */
public final class SlidePipeline {

    public static final String WHOLE_SLIDE_IMAGE = "whole_slide_image";
    public static final String MEDIA_TIFF = "image/tiff";
    public static final String MEDIA_GEOJSON = "application/geo+json";
    public static final String MEDIA_CSV = "text/csv";

    /** Under the work dir: the models of manifest-described versions, by checksum ({@link ModelCache}). */
    public static final String MODEL_CACHE = "model-cache";

    private static final System.Logger LOG = System.getLogger(SlidePipeline.class.getName());

    private final SlideFetcher fetcher;
    private final SlideReaders readers;
    private final SlideAnalyzer analyzer;
    private final ObjectStore store;
    private final Path workDir;
    private final ReaderCrashes crashes;
    private final Tracer tracer;
    private final ManifestAnalysis manifests;

    public SlidePipeline(
            SlideFetcher fetcher, SlideReaders readers, SlideAnalyzer analyzer, ObjectStore store, Path workDir) {
        this(fetcher, readers, analyzer, store, workDir, Spans.NONE);
    }

    public SlidePipeline(
            SlideFetcher fetcher,
            SlideReaders readers,
            SlideAnalyzer analyzer,
            ObjectStore store,
            Path workDir,
            Tracer tracer) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.readers = Objects.requireNonNull(readers, "readers");
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.store = Objects.requireNonNull(store, "store");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.crashes = new ReaderCrashes(workDir);
        this.manifests = new ManifestAnalysis(analyzer.engine(), new ModelCache(store, workDir.resolve(MODEL_CACHE)));
    }

    /** The analysis this pipeline runs, with the inference engine it runs the models on. */
    public SlideAnalyzer analyzer() {
        return analyzer;
    }

    /**
     * @throws InputRejectedException the input is at fault (USER_ERROR, never retried)
     * @throws IOException or any runtime exception: our fault (SYSTEM_ERROR, may be retried)
     */
    public List<OutputArtifact> process(UUID runId, UUID itemId, int attempt, SlideJob job, ProgressSink progress)
            throws InputRejectedException, IOException, InterruptedException {
        // A version registered from a manifest runs the manifest's models; a built-in one its own pipeline.
        Application application = job.manifest() == null ? application(job.applicationId()) : null;
        InputArtifact input = job.inputArtifacts() == null
                ? null
                : job.inputArtifacts().stream()
                        .filter(a -> WHOLE_SLIDE_IMAGE.equals(a.name()))
                        .findFirst()
                        .orElse(
                                job.inputArtifacts().isEmpty()
                                        ? null
                                        : job.inputArtifacts().getFirst());
        if (input == null) {
            throw new InputRejectedException(ErrorCodes.INPUT_UNREADABLE, "item has no whole_slide_image input");
        }
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, "item-" + itemId + "-" + attempt + "-");
        try {
            int died = crashes.died(itemId, dir);
            if (died >= ReaderCrashes.BLAMING_THE_INPUT) {
                throw new InputRejectedException(
                        ErrorCodes.INPUT_CRASHED_READER,
                        input.name() + " of item " + job.externalId() + ": the worker died " + died
                                + " times while reading it (a crash in native decoding code, or killed for memory);"
                                + " it is not read again");
            }
            return run(runId, itemId, job, application, input, dir, progress);
        } finally {
            try {
                crashes.forget(itemId);
                FileTrees.deleteRecursively(dir);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not clean up " + dir, e);
            }
        }
    }

    private List<OutputArtifact> run(
            UUID runId,
            UUID itemId,
            SlideJob job,
            Application application,
            InputArtifact input,
            Path dir,
            ProgressSink progress)
            throws InputRejectedException, IOException, InterruptedException {
        JsonNode metadata = input.metadata();
        String displayName = input.name() + " of item " + job.externalId();
        progress.stage(Stage.DOWNLOADING);
        Path slideFile = dir.resolve("slide" + extensionOf(text(metadata, "media_type")));
        Spans.Step download = Spans.start(tracer, "download slide");
        try {
            fetcher.fetch(runId, input.downloadUrl(), slideFile, text(metadata, "checksum_base64_crc32c"), progress);
            download.span().setAttribute(TraceAttributes.BYTES, Files.size(slideFile));
        } catch (Exception | Error e) {
            download.fail(e);
            throw e;
        } finally {
            download.end();
        }
        List<LocalOutput> outputs;
        // Marked while the slide is open, so that a worker that dies decoding it leaves the evidence behind.
        ReaderCrashes.Reading reading = crashes.reading(dir);
        try {
            outputs = job.manifest() != null
                    ? analyzeWithManifest(job, itemId, declared(metadata), displayName, slideFile, dir, progress)
                    : analyzeAndWrite(
                            tracer,
                            readers,
                            analyzer,
                            itemId,
                            application,
                            job.applicationVersion(),
                            declared(metadata),
                            displayName,
                            slideFile,
                            dir,
                            progress);
        } finally {
            reading.close();
        }

        progress.stage(Stage.UPLOADING);
        Spans.Step upload = Spans.start(tracer, "upload outputs");
        try {
            List<OutputArtifact> artifacts = upload(job, outputs, progress);
            upload.span().setAttribute(TraceAttributes.OUTPUTS, (long) artifacts.size());
            upload.span()
                    .setAttribute(
                            TraceAttributes.BYTES,
                            artifacts.stream()
                                    .mapToLong(OutputArtifact::sizeBytes)
                                    .sum());
            return artifacts;
        } catch (Exception | Error e) {
            upload.fail(e);
            throw e;
        } finally {
            upload.end();
        }
    }

    private List<OutputArtifact> upload(SlideJob job, List<LocalOutput> outputs, ProgressSink progress)
            throws IOException {
        String prefix = job.outputPrefix().endsWith("/") ? job.outputPrefix() : job.outputPrefix() + "/";
        List<OutputArtifact> artifacts = new ArrayList<>();
        int done = 0;
        for (LocalOutput output : outputs) {
            String key = prefix + output.file().getFileName();
            long size = Files.size(output.file());
            String checksum;
            try (InputStream in = Files.newInputStream(output.file())) {
                checksum = Crc32c.base64Of(in);
            }
            try {
                store.put(key, output.file(), output.mediaType());
            } catch (IOException | RuntimeException e) {
                throw new OutputUploadException("uploading " + output.name() + " to " + key + " failed", e);
            }
            artifacts.add(
                    new OutputArtifact(output.name(), key, output.mediaType(), size, checksum, output.metadata()));
            progress.tiles(++done, outputs.size());
        }
        return List.copyOf(artifacts);
    }

    /**
     * Analyses a slide that is already on local disk and writes the application's output files into {@code dir}, as
     * {@link #process} does between download and upload; benchmarks call it to measure the worker without Kafka or
     * HTTP. Returns artifact name to file, in the order the worker uploads them.
     */
    public static Map<String, Path> analyzeLocalFile(
            InferenceEngine engine,
            SlideReaders readers,
            Path slideFile,
            String applicationId,
            String version,
            Path dir,
            ProgressSink progress)
            throws InputRejectedException, IOException, InterruptedException {
        Application application = application(applicationId);
        Files.createDirectories(dir);
        var files = new LinkedHashMap<String, Path>();
        for (LocalOutput output : analyzeAndWrite(
                Spans.NONE,
                readers,
                new SlideAnalyzer(engine, ModelRegistry.withBuiltInModels()),
                UUID.nameUUIDFromBytes(slideFile.toString().getBytes(StandardCharsets.UTF_8)),
                application,
                version,
                new DeclaredMetadata(OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty()),
                slideFile.getFileName().toString(),
                slideFile,
                dir,
                progress)) {
            files.put(output.name(), output.file());
        }
        return files;
    }

    private static List<LocalOutput> analyzeAndWrite(
            Tracer tracer,
            SlideReaders readers,
            SlideAnalyzer analyzer,
            UUID itemId,
            Application application,
            String version,
            DeclaredMetadata declared,
            String displayName,
            Path slideFile,
            Path dir,
            ProgressSink progress)
            throws InputRejectedException, IOException, InterruptedException {
        progress.stage(Stage.READING);
        boolean withCells = application.runs(Task.CELL_CLASSIFICATION);
        LocalOutput cellPolygons = LocalOutput.in(dir, Task.CELL_CLASSIFICATION, "geojson_polygons", MEDIA_GEOJSON);
        LocalOutput slideReadouts = LocalOutput.in(dir, Task.READOUT_GENERATION, "slide_readouts", MEDIA_CSV);
        LocalOutput cellReadouts = LocalOutput.in(dir, Task.READOUT_GENERATION, "cell_readouts", MEDIA_CSV);
        SlideAnalyzer.Result result;
        Spans.Step read = Spans.start(tracer, "read slide");
        try (SlideReader reader = readers.open(slideFile, displayName)) {
            SlideInfo info = reader.info();
            double mpp = MetadataCheck.resolveMpp(info, declared, displayName);
            read.span()
                    .setAttribute(TraceAttributes.SLIDE_FORMAT, info.format())
                    .setAttribute(TraceAttributes.SLIDE_BACKEND, reader.backend())
                    .setAttribute(TraceAttributes.SLIDE_WIDTH, (long) info.width())
                    .setAttribute(TraceAttributes.SLIDE_HEIGHT, (long) info.height())
                    .setAttribute(
                            TraceAttributes.SLIDE_LEVELS, (long) info.levels().size());
            read.end();
            read = null;
            progress.stage(Stage.TISSUE_DETECTION);
            if (withCells) {
                CellOutputWriter cells =
                        new CellOutputWriter(cellPolygons.file(), cellReadouts.file(), itemId + "/cells", mpp);
                try {
                    result = analyzer.analyze(reader, mpp, application.id(), version, cells, progress);
                } finally {
                    cells.close();
                }
                cells.writeSlideReadouts(result.segmentation(), slideReadouts.file(), result.stain());
            } else {
                result = analyzer.analyze(reader, mpp, application.id(), version, null, progress);
            }
        } catch (SlideFormatException e) {
            failRead(read, e);
            throw SlideErrors.rejection(e);
        } catch (IOException | InputRejectedException | InterruptedException | RuntimeException e) {
            failRead(read, e);
            throw e;
        } catch (Exception e) {
            failRead(read, e);
            throw new IOException("analysis failed: " + e.getMessage(), e);
        } catch (Error e) {
            failRead(read, e);
            throw e;
        }

        progress.stage(Stage.WRITING_OUTPUTS);
        StainCorrection stain = result.stain();
        stain.warning().ifPresent(w -> LOG.log(System.Logger.Level.WARNING, displayName + ": " + w));
        ObjectNode stainMetadata = stainMetadata(stain);
        Spans.Step write = Spans.start(tracer, "write outputs");
        try {
            List<LocalOutput> outputs = new ArrayList<>();
            List<Callable<Void>> writes = new ArrayList<>();
            for (Task task : application.tasks()) {
                switch (task) {
                    case TISSUE_QC ->
                        outputs.addAll(writeClassMap(result.qc(), task, dir, itemId, stainMetadata, writes));
                    case TISSUE_SEGMENTATION ->
                        outputs.addAll(writeClassMap(result.segmentation(), task, dir, itemId, stainMetadata, writes));
                    case CELL_CLASSIFICATION -> outputs.add(cellPolygons.withMetadata(stainMetadata));
                    case READOUT_GENERATION ->
                        outputs.addAll(List.of(
                                slideReadouts.withMetadata(stainMetadata), cellReadouts.withMetadata(stainMetadata)));
                }
            }
            writeAll(writes);
            write.span().setAttribute(TraceAttributes.OUTPUTS, (long) outputs.size());
            return outputs;
        } catch (Exception | Error e) {
            write.fail(e);
            throw e;
        } finally {
            write.end();
        }
    }

    /** Ends the read step with the failure, when it was still open (the slide could not be opened or read). */
    private static void failRead(Spans.Step read, Throwable e) {
        if (read != null) {
            read.fail(e);
            read.end();
        }
    }

    /** The outputs of a version registered from a manifest, written by {@link ManifestAnalysis}. */
    private List<LocalOutput> analyzeWithManifest(
            SlideJob job,
            UUID itemId,
            DeclaredMetadata declared,
            String displayName,
            Path slideFile,
            Path dir,
            ProgressSink progress)
            throws InputRejectedException, IOException, InterruptedException {
        progress.stage(Stage.READING);
        List<ManifestAnalysis.Output> written;
        try (SlideReader reader = readers.open(slideFile, displayName)) {
            double mpp = MetadataCheck.resolveMpp(reader.info(), declared, displayName);
            progress.stage(Stage.TISSUE_DETECTION);
            written = manifests.analyze(reader, mpp, job.manifest(), itemId, dir, progress);
        } catch (SlideFormatException e) {
            throw SlideErrors.rejection(e);
        } catch (IOException | InputRejectedException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("analysis failed: " + e.getMessage(), e);
        }
        progress.stage(Stage.WRITING_OUTPUTS);
        return written.stream()
                .map(o -> new LocalOutput(o.name(), o.file(), o.mediaType(), o.metadata()))
                .toList();
    }

    /**
     * Runs the output writers side by side, each file written by one of them (the files do not depend on each
     * other), on as many threads as there are cores, at most {@link #WRITER_THREADS}. Throws the first failure.
     */
    private static void writeAll(List<Callable<Void>> writes) throws IOException, InterruptedException {
        int threads = Math.min(
                writes.size(), Math.min(WRITER_THREADS, Runtime.getRuntime().availableProcessors()));
        if (threads <= 1) {
            for (Callable<Void> write : writes) {
                call(write);
            }
            return;
        }
        // The slowest writers (GeoJSON polygons) go first, so that the short ones fill in behind them.
        List<Callable<Void>> ordered = new ArrayList<>(writes);
        ordered.sort(java.util.Comparator.comparingInt(w -> w instanceof SlowWrite ? 0 : 1));
        ExecutorService pool = Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().name("output-writer-", 0).factory());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> write : ordered) {
                futures.add(pool.submit(write));
            }
            for (Future<Void> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    } else if (cause instanceof RuntimeException re) {
                        throw re;
                    } else if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IOException("writing an output failed: " + cause.getMessage(), cause);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void call(Callable<Void> write) throws IOException {
        try {
            write.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("writing an output failed: " + e.getMessage(), e);
        }
    }

    /** Most threads the output writers use: one slide has six class-map files to write. */
    static final int WRITER_THREADS = 4;

    /** A writer that takes long (polygon tracing): started first. */
    private interface SlowWrite extends Callable<Void> {}

    /**
     * What stain normalization did, for the metadata of every output but the segmentation map images (whose metadata
     * the application version's schema fixes): {@code stain_normalization} ({@code applied} or {@code skipped}) and,
     * when skipped, {@code stain_normalization_warning}, the sentence saying why.
     */
    static ObjectNode stainMetadata(StainCorrection stain) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        metadata.put("stain_normalization", stain.status());
        stain.warning().ifPresent(w -> metadata.put("stain_normalization_warning", w));
        return metadata;
    }

    /** A class map as a palette TIFF, GeoJSON polygons and per-class areas; adds their writers to {@code writes}. */
    private static List<LocalOutput> writeClassMap(
            ClassMap map, Task task, Path dir, UUID itemId, ObjectNode stainMetadata, List<Callable<Void>> writes) {
        LocalOutput tiff = LocalOutput.in(dir, task, "segmentation_map_image", MEDIA_TIFF)
                .withMetadata(SegmentationMapWriter.metadata(map));
        LocalOutput geojson =
                LocalOutput.in(dir, task, "geojson_polygons", MEDIA_GEOJSON).withMetadata(stainMetadata);
        LocalOutput csv =
                LocalOutput.in(dir, task, "csv_class_information", MEDIA_CSV).withMetadata(stainMetadata);
        writes.add((SlowWrite) () -> {
            GeoJsonWriter.write(map, geojson.file(), itemId + "/" + task.id());
            return null;
        });
        writes.add(() -> {
            SegmentationMapWriter.write(map, tiff.file());
            return null;
        });
        writes.add(() -> {
            ClassAreaCsvWriter.write(map, csv.file());
            return null;
        });
        return List.of(tiff, geojson, csv);
    }

    private static Application application(String applicationId) {
        return Application.byId(applicationId)
                .orElseThrow(() ->
                        new IllegalStateException("this worker has no pipeline for application " + applicationId));
    }

    /** What the request declares about the slide, checked against the file by {@link MetadataCheck}. */
    private static DeclaredMetadata declared(JsonNode metadata) {
        JsonNode width = metadata == null ? null : metadata.get("width_px");
        JsonNode height = metadata == null ? null : metadata.get("height_px");
        JsonNode mpp = metadata == null ? null : metadata.get("resolution_mpp");
        return new DeclaredMetadata(
                width != null && width.isIntegralNumber() && width.canConvertToLong()
                        ? OptionalLong.of(width.asLong())
                        : OptionalLong.empty(),
                height != null && height.isIntegralNumber() && height.canConvertToLong()
                        ? OptionalLong.of(height.asLong())
                        : OptionalLong.empty(),
                mpp != null && mpp.isNumber() ? OptionalDouble.of(mpp.asDouble()) : OptionalDouble.empty());
    }

    /** Output file name: the artifact name with ':' replaced by '_', plus the extension. */
    public static String fileName(String artifactName, String extension) {
        return artifactName.replace(':', '_') + extension;
    }

    private static String extensionOf(String mediaType) {
        if (mediaType == null) {
            return ".bin";
        }
        return switch (mediaType.toLowerCase(Locale.ROOT)) {
            case "image/tiff" -> ".tiff";
            case "application/dicom" -> ".dcm";
            case "application/zip" -> ".zip";
            default -> ".svs";
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** A written output file; {@code metadata} describes its content for clients (null when there is nothing to say). */
    private record LocalOutput(String name, Path file, String mediaType, ObjectNode metadata) {

        /** The output {@code <task>:<output>} of a task, in its file under {@code dir}. */
        static LocalOutput in(Path dir, Task task, String output, String mediaType) {
            String name = task.id() + ":" + output;
            String extension = switch (mediaType) {
                case MEDIA_TIFF -> ".tiff";
                case MEDIA_GEOJSON -> ".geojson";
                case MEDIA_CSV -> ".csv";
                default -> throw new IllegalArgumentException("no file extension for " + mediaType);
            };
            return new LocalOutput(name, dir.resolve(fileName(name, extension)), mediaType, null);
        }

        LocalOutput withMetadata(ObjectNode newMetadata) {
            return new LocalOutput(name, file, mediaType, newMetadata);
        }
    }
}
