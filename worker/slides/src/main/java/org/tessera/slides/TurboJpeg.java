package org.tessera.slides;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/**
 * The TurboJPEG API of libjpeg-turbo (Debian's {@code libturbojpeg0}) over Java FFM: SIMD JPEG decoding, several
 * times faster than the JDK's decoder, which is what OpenSlide uses underneath. Optional: when the library is missing
 * (or {@code -Dtessera.slides.turbojpeg=false}), the TIFF backend decodes with the JDK alone.
 */
// Calling into native code is the point of this class; restricted FFM methods are enabled per JVM by
// --enable-native-access.
@SuppressWarnings("restricted")
final class TurboJpeg {

    static final int PIXEL_FORMAT_BGRA = 8;
    static final int COLORSPACE_RGB = 0;
    static final int COLORSPACE_YCBCR = 1;
    static final int ERROR_WARNING = 0;

    private static final List<String> NAMES = List.of("libturbojpeg.so.0", "libturbojpeg.so", "turbojpeg");
    private static final Optional<TurboJpeg> INSTANCE = load();

    final MethodHandle initDecompress;
    final MethodHandle decompressHeader3;
    final MethodHandle decompress2;
    final MethodHandle destroy;
    final MethodHandle errorString;
    final MethodHandle errorCode;
    private final String library;

    private TurboJpeg(String library, SymbolLookup lookup) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        ValueLayout pointer = ValueLayout.ADDRESS;
        ValueLayout cInt = ValueLayout.JAVA_INT;
        ValueLayout cLong = ValueLayout.JAVA_LONG;
        initDecompress = handle(linker, lookup, "tjInitDecompress", FunctionDescriptor.of(pointer));
        decompressHeader3 = handle(
                linker,
                lookup,
                "tjDecompressHeader3",
                FunctionDescriptor.of(cInt, pointer, pointer, cLong, pointer, pointer, pointer, pointer));
        decompress2 = handle(
                linker,
                lookup,
                "tjDecompress2",
                FunctionDescriptor.of(cInt, pointer, pointer, cLong, pointer, cInt, cInt, cInt, cInt, cInt));
        destroy = handle(linker, lookup, "tjDestroy", FunctionDescriptor.of(cInt, pointer));
        errorString = handle(linker, lookup, "tjGetErrorStr2", FunctionDescriptor.of(pointer, pointer));
        errorCode = handle(linker, lookup, "tjGetErrorCode", FunctionDescriptor.of(cInt, pointer));
    }

    /** The library, unless it is missing or switched off with {@code -Dtessera.slides.turbojpeg=false}. */
    static Optional<TurboJpeg> instance() {
        return INSTANCE;
    }

    String library() {
        return library;
    }

    private static Optional<TurboJpeg> load() {
        if ("false".equalsIgnoreCase(System.getProperty("tessera.slides.turbojpeg"))) {
            return Optional.empty();
        }
        for (String name : NAMES) {
            try {
                return Optional.of(new TurboJpeg(name, SymbolLookup.libraryLookup(name, Arena.global())));
            } catch (IllegalArgumentException | UnsatisfiedLinkError | IllegalCallerException notThere) {
                // Try the next name; without any, the JDK decoder serves.
            }
        }
        return Optional.empty();
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol =
                lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libturbojpeg lacks " + name));
        return linker.downcallHandle(symbol, descriptor);
    }

    static String string(MemorySegment pointer) {
        if (pointer.equals(MemorySegment.NULL)) {
            return "unknown error";
        }
        return pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }
}
