package org.tessera.slides;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tessera.bytes.ByteSource;
import org.tessera.slides.SlideFormatException.Code;

/**
 * Opens a slide with the backend that supports it best, as QuPath's {@code ImageServerBuilder}s do: every available
 * provider scores the file ({@link Support}), the highest score wins and ties go to the provider listed first. When the
 * winner cannot open the file, the next one tries (OpenSlide decodes JPEG 2000 SVS, the pure-Java reader does not; the
 * pure-Java reader reads some TIFFs OpenSlide refuses); a file refused by the {@link SlideLimits} is refused at once.
 */
public final class SlideReaders {

    /** Where a choice is logged. */
    private static final System.Logger LOG = System.getLogger(SlideReaders.class.getName());

    private static final int HEAD_BYTES = 512;

    /** Refusals by the limits, which every backend enforces alike: no other backend is tried after one. */
    private static final Set<Code> LIMITS = Set.of(Code.TOO_LARGE, Code.TOO_LARGE_DECODED, Code.DECOMPRESSION_BOMB);

    private final List<SlideReaderProvider> providers;
    private final List<SlideReaderProvider> unavailable;

    /** @param providers in order of preference for equal scores; unavailable ones are kept aside for the log */
    public SlideReaders(List<SlideReaderProvider> providers) {
        this.providers =
                providers.stream().filter(SlideReaderProvider::isAvailable).toList();
        this.unavailable = providers.stream().filter(p -> !p.isAvailable()).toList();
    }

    /**
     * The built-in backends, in order of preference: pure-Java TIFF, OpenSlide (where installed), DICOM WSI; the
     * default limits.
     */
    public static SlideReaders builtIn() {
        return builtIn(SlideLimits.defaults());
    }

    /** The built-in backends, each enforcing {@code limits}. */
    public static SlideReaders builtIn(SlideLimits limits) {
        return new SlideReaders(builtInProviders(limits));
    }

    /** As {@link #discover(SlideLimits)}, with the default limits. */
    public static SlideReaders discover() {
        return discover(SlideLimits.defaults());
    }

    /**
     * The built-in backends with {@code limits}, then every provider a jar on the class path declares in {@code
     * META-INF/services/org.tessera.slides.SlideReaderProvider} (e.g. a Bio-Formats backend) that is not built in.
     */
    public static SlideReaders discover(SlideLimits limits) {
        List<SlideReaderProvider> all = new ArrayList<>(builtInProviders(limits));
        Set<String> names = new HashSet<>();
        all.forEach(p -> names.add(p.name()));
        for (SlideReaderProvider provider : ServiceLoader.load(SlideReaderProvider.class)) {
            if (names.add(provider.name())) {
                all.add(provider);
            }
        }
        return new SlideReaders(all);
    }

    /**
     * Default order: pure-Java TIFF, OpenSlide, DICOM. Both of the first two read Aperio SVS and generic TIFF; the
     * pure-Java reader serves them because it decodes several times more tiles per core (see the tile read benchmark
     * in docs/benchmarks.md), and OpenSlide still takes every file it cannot open (other vendors, JPEG 2000 SVS). The
     * system property {@value #PREFERENCE_PROPERTY} (names, comma separated, e.g. {@code openslide,java-tiff}) moves
     * the named backends to the front in that order.
     */
    private static List<SlideReaderProvider> builtInProviders(SlideLimits limits) {
        return preferred(
                List.of(
                        new TiffSlideReaderProvider(true, limits),
                        new OpenSlideReaderProvider(limits),
                        new DicomSlideReaderProvider(limits)),
                System.getProperty(PREFERENCE_PROPERTY, ""));
    }

    /** The system property that reorders backends of equal score. */
    public static final String PREFERENCE_PROPERTY = "tessera.slides.preference";

    static List<SlideReaderProvider> preferred(List<SlideReaderProvider> providers, String preference) {
        List<String> names = Stream.of(preference.split(","))
                .map(String::trim)
                .filter(n -> !n.isEmpty())
                .toList();
        List<SlideReaderProvider> ordered = new ArrayList<>(providers);
        ordered.sort(Comparator.comparingInt(p -> {
            int at = names.indexOf(p.name());
            return at < 0 ? names.size() : at;
        }));
        return ordered;
    }

    /** The available providers, in order of preference. */
    public List<SlideReaderProvider> providers() {
        return providers;
    }

    /** The JPEG decoder of the pure-Java TIFF backend, or empty when that backend is not among the providers. */
    public Optional<JpegDecoderInfo> jpegDecoder() {
        return providers.stream()
                .filter(TiffSlideReaderProvider.class::isInstance)
                .map(p -> ((TiffSlideReaderProvider) p).jpegDecoder())
                .findFirst();
    }

    /** Whether the OpenSlide backend can read slides here, and if not, why. */
    public String openSlide() {
        return Stream.concat(providers.stream(), unavailable.stream())
                .filter(p -> p.name().equals(OpenSlideReaderProvider.NAME))
                .map(p -> (p.isAvailable() ? "available: " : "unavailable: ") + p.description())
                .findFirst()
                .orElse("unavailable: not among the slide backends");
    }

    /** One line for the start-up log: which backends are active, which are not. */
    public String describe() {
        String active = providers.stream().map(SlideReaderProvider::description).collect(Collectors.joining(", "));
        String missing =
                unavailable.stream().map(SlideReaderProvider::description).collect(Collectors.joining(", "));
        return "slide backends, in order of preference: " + active
                + (missing.isEmpty() ? "" : "; unavailable: " + missing);
    }

    /**
     * Opens the file with the best backend. The reader is thread-safe.
     *
     * @param file a slide file, or a directory holding a DICOM series
     * @param displayName how error messages name the file, e.g. {@code whole_slide_image of item slide-7}
     * @throws SlideFormatException UNSUPPORTED_FORMAT when no backend reads it; otherwise the best backend's reason
     */
    public SlideReader open(Path file, String displayName) throws SlideFormatException, IOException {
        byte[] head = head(file);
        List<Candidate> candidates = new ArrayList<>();
        for (SlideReaderProvider provider : providers) {
            Support support = provider.support(file, head);
            if (support.supported()) {
                candidates.add(new Candidate(provider, support));
            }
        }
        return open(candidates, displayName, provider -> provider.open(file, displayName));
    }

    /**
     * Opens a single slide file that is only reachable through {@code source}, e.g. a signed URL read with range
     * requests, with the best backend that reads such sources (the pure-Java TIFF/SVS and the single-file DICOM
     * readers). The reader closes {@code source} when it is closed; when no backend opens it, this closes it.
     *
     * @throws SlideFormatException UNSUPPORTED_FORMAT when no backend reads it; otherwise the best backend's reason
     */
    public SlideReader open(ByteSource source, String displayName) throws SlideFormatException, IOException {
        boolean opened = false;
        try {
            ByteBuffer first = ByteBuffer.allocate((int) Math.min(HEAD_BYTES, source.size()));
            source.readFully(first, 0);
            byte[] head = first.array();
            List<Candidate> candidates = new ArrayList<>();
            for (SlideReaderProvider provider : providers) {
                Support support = provider.support(source, head);
                if (support.supported()) {
                    candidates.add(new Candidate(provider, support));
                }
            }
            SlideReader reader = open(candidates, displayName, provider -> provider.open(source, displayName));
            opened = true;
            return reader;
        } finally {
            if (!opened) {
                source.close();
            }
        }
    }

    private record Candidate(SlideReaderProvider provider, Support support) {}

    @FunctionalInterface
    private interface Opener {
        SlideReader open(SlideReaderProvider provider) throws SlideFormatException, IOException;
    }

    private SlideReader open(List<Candidate> candidates, String displayName, Opener opener)
            throws SlideFormatException, IOException {
        // Stable: equal scores keep the order of preference.
        candidates.sort(
                Comparator.comparingInt((Candidate c) -> c.support().score()).reversed());
        if (candidates.isEmpty()) {
            throw new SlideFormatException(
                    Code.UNSUPPORTED_FORMAT, displayName + " is not a format this platform reads (" + formats() + ")");
        }
        SlideFormatException first = null;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            try {
                SlideReader reader = opener.open(candidate.provider());
                String others = candidates.stream()
                        .filter(c -> c != candidate)
                        .map(c -> c.provider().name() + " " + c.support().score())
                        .collect(Collectors.joining(", "));
                String after = i > 0 ? "; after " + first.getMessage() : "";
                LOG.log(
                        System.Logger.Level.INFO,
                        () -> displayName + ": opened with "
                                + candidate.provider().name() + " (score "
                                + candidate.support().score() + ": "
                                + candidate.support().reason() + after + "; "
                                + (others.isEmpty() ? "no other candidate" : "other candidates: " + others) + "); "
                                + reader.info().levels().size() + " levels, level 0 "
                                + reader.info().width() + "x"
                                + reader.info().height() + ", format "
                                + reader.info().format());
                return reader;
            } catch (SlideFormatException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
                if (LIMITS.contains(e.code())) {
                    break;
                }
            }
        }
        throw first;
    }

    private String formats() {
        return providers.stream().map(SlideReaderProvider::name).collect(Collectors.joining(", "));
    }

    private static byte[] head(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            return new byte[0];
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HEAD_BYTES);
        }
    }
}
