package org.tessera.openslide;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Method handles for the C functions of {@code libopenslide} (3.4 and 4.x share them). Loaded once; absent when the
 * native library is not installed, in which case callers fall back to other slide readers.
 */
// Calling into native code is the point of this class; restricted FFM methods are enabled per JVM by
// --enable-native-access.
@SuppressWarnings("restricted")
final class OpenSlideLibrary {

    /** Library names tried in order: Debian's package ships the versioned soname only. */
    private static final String[] NAMES = {"libopenslide.so.1", "libopenslide.so.0", "libopenslide.so"};

    private static final ValueLayout.OfLong INT64 = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT32 = ValueLayout.JAVA_INT;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;

    // After the layouts it uses: static initialisers run in textual order.
    private static final Optional<OpenSlideLibrary> INSTANCE = load();

    final String libraryName;
    final MethodHandle open;
    final MethodHandle close;
    final MethodHandle getError;
    final MethodHandle levelCount;
    final MethodHandle levelDimensions;
    final MethodHandle levelDownsample;
    final MethodHandle readRegion;
    final MethodHandle propertyNames;
    final MethodHandle propertyValue;
    final MethodHandle detectVendor;
    final MethodHandle version;

    private OpenSlideLibrary(String libraryName, SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        this.libraryName = libraryName;
        this.open = handle(linker, lookup, "openslide_open", FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.close = handle(linker, lookup, "openslide_close", FunctionDescriptor.ofVoid(ADDRESS));
        this.getError = handle(linker, lookup, "openslide_get_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.levelCount = handle(linker, lookup, "openslide_get_level_count", FunctionDescriptor.of(INT32, ADDRESS));
        this.levelDimensions = handle(
                linker,
                lookup,
                "openslide_get_level_dimensions",
                FunctionDescriptor.ofVoid(ADDRESS, INT32, ADDRESS, ADDRESS));
        this.levelDownsample = handle(
                linker,
                lookup,
                "openslide_get_level_downsample",
                FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ADDRESS, INT32));
        this.readRegion = handle(
                linker,
                lookup,
                "openslide_read_region",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, INT64, INT64, INT32, INT64, INT64));
        this.propertyNames =
                handle(linker, lookup, "openslide_get_property_names", FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.propertyValue = handle(
                linker, lookup, "openslide_get_property_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        this.detectVendor = handle(linker, lookup, "openslide_detect_vendor", FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.version = handle(linker, lookup, "openslide_get_version", FunctionDescriptor.of(ADDRESS));
    }

    static Optional<OpenSlideLibrary> instance() {
        return INSTANCE;
    }

    private static Optional<OpenSlideLibrary> load() {
        for (String name : NAMES) {
            try {
                return Optional.of(new OpenSlideLibrary(name, SymbolLookup.libraryLookup(name, Arena.global())));
            } catch (IllegalArgumentException | UnsatisfiedLinkError notThere) {
                // Try the next name.
            }
        }
        return Optional.empty();
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol =
                lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libopenslide lacks " + name));
        return linker.downcallHandle(symbol, descriptor);
    }

    /** Reads a NUL-terminated C string returned by the library (owned by it; never freed here). */
    static String string(MemorySegment pointer) {
        if (pointer.equals(MemorySegment.NULL)) {
            return null;
        }
        return pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }
}
