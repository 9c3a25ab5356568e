package org.tessera.slides;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tessera.openslide.NativeLibrary;

/**
 * The TurboJPEG API of libjpeg-turbo (Debian's {@code libturbojpeg0}) over Java FFM: SIMD JPEG decoding, several
 * times faster than the JDK's decoder, which is what OpenSlide uses underneath. Optional: when the library is missing
 * (or {@code -Dtessera.slides.turbojpeg=false}), the TIFF backend decodes with the JDK alone.
 */
final class TurboJpeg {

    static final int PIXEL_FORMAT_BGRA = 8;
    static final int COLORSPACE_RGB = 0;
    static final int COLORSPACE_YCBCR = 1;
    static final int ERROR_WARNING = 0;

    private static final List<String> NAMES = List.of("libturbojpeg.so.0", "libturbojpeg.so", "turbojpeg");
    private static final String SWITCH = "tessera.slides.turbojpeg";
    /** The banner libjpeg-turbo embeds in its binary, e.g. {@code libjpeg-turbo version 2.1.5 (build 20230203)}. */
    private static final Pattern VERSION_BANNER = Pattern.compile("libjpeg-turbo version (\\d+(?:\\.\\d+)*)");

    private static final Loaded LOADED = load();

    final MethodHandle initDecompress;
    final MethodHandle decompressHeader3;
    final MethodHandle decompress2;
    final MethodHandle destroy;
    final MethodHandle errorString;
    final MethodHandle errorCode;

    private TurboJpeg(NativeLibrary lib) {
        ValueLayout pointer = ValueLayout.ADDRESS;
        ValueLayout cInt = ValueLayout.JAVA_INT;
        ValueLayout cLong = ValueLayout.JAVA_LONG;
        initDecompress = lib.function("tjInitDecompress", FunctionDescriptor.of(pointer));
        // Critical calls that may take heap memory: the tile's bytes are read from its Java array and the pixels
        // written into the caller's int[] in place, without a native copy of either. Both calls are short (a tile
        // decodes in a fraction of a millisecond) and call nothing back.
        Linker.Option heap = Linker.Option.critical(true);
        decompressHeader3 = lib.function(
                "tjDecompressHeader3",
                FunctionDescriptor.of(cInt, pointer, pointer, cLong, pointer, pointer, pointer, pointer),
                heap);
        decompress2 = lib.function(
                "tjDecompress2",
                FunctionDescriptor.of(cInt, pointer, pointer, cLong, pointer, cInt, cInt, cInt, cInt, cInt),
                heap);
        destroy = lib.function("tjDestroy", FunctionDescriptor.of(cInt, pointer));
        errorString = lib.function("tjGetErrorStr2", FunctionDescriptor.of(pointer, pointer));
        errorCode = lib.function("tjGetErrorCode", FunctionDescriptor.of(cInt, pointer));
    }

    /** The library, unless it is missing or switched off with {@code -Dtessera.slides.turbojpeg=false}. */
    static Optional<TurboJpeg> instance() {
        return LOADED.library();
    }

    /** The decoder JPEG tiles get when the library is wanted: libjpeg-turbo, or the JDK and why. */
    static JpegDecoderInfo decoder() {
        return LOADED.decoder();
    }

    private record Loaded(Optional<TurboJpeg> library, JpegDecoderInfo decoder) {}

    private static Loaded load() {
        if ("false".equalsIgnoreCase(System.getProperty(SWITCH))) {
            return new Loaded(Optional.empty(), JpegDecoderInfo.jdk("switched off with -D" + SWITCH + "=false"));
        }
        try {
            NativeLibrary library = NativeLibrary.open(NAMES);
            TurboJpeg lib = new TurboJpeg(library);
            Optional<Path> file = mappedFile();
            String where = file.map(Path::toString).orElse(library.name());
            String version = file.flatMap(TurboJpeg::version).map(v -> " " + v).orElse("");
            return new Loaded(
                    Optional.of(lib), JpegDecoderInfo.libjpegTurbo("libjpeg-turbo" + version + " via FFM, " + where));
        } catch (UnsatisfiedLinkError notThere) {
            return new Loaded(
                    Optional.empty(), JpegDecoderInfo.jdk("libturbojpeg not loadable: " + notThere.getMessage()));
        }
    }

    /** The file the dynamic linker mapped for the library, from {@code /proc/self/maps} (Linux). */
    private static Optional<Path> mappedFile() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
                    .filter(path -> path.contains("libturbojpeg"))
                    .findFirst()
                    .map(Path::of);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The release named by the banner in the library's binary, e.g. {@code 2.1.5}. */
    private static Optional<String> version(Path library) {
        try {
            Matcher banner =
                    VERSION_BANNER.matcher(new String(Files.readAllBytes(library), StandardCharsets.ISO_8859_1));
            return banner.find() ? Optional.of(banner.group(1)) : Optional.empty();
        } catch (IOException | SecurityException e) {
            // The version is for the log only.
            return Optional.empty();
        }
    }
}
