package org.tessera.openslide;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/**
 * Method handles for the C functions of {@code libopenslide} (3.4 and 4.x share them). Loaded once; absent when the
 * native library is not installed, in which case callers fall back to other slide readers.
 */
final class OpenSlideLibrary {

    /** Library names tried in order: Debian's package ships the versioned soname only. */
    private static final List<String> NAMES = List.of("libopenslide.so.1", "libopenslide.so.0", "libopenslide.so");

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

    private OpenSlideLibrary(NativeLibrary lib) {
        this.libraryName = lib.name();
        this.open = lib.function("openslide_open", FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.close = lib.function("openslide_close", FunctionDescriptor.ofVoid(ADDRESS));
        this.getError = lib.function("openslide_get_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.levelCount = lib.function("openslide_get_level_count", FunctionDescriptor.of(INT32, ADDRESS));
        this.levelDimensions = lib.function(
                "openslide_get_level_dimensions", FunctionDescriptor.ofVoid(ADDRESS, INT32, ADDRESS, ADDRESS));
        this.levelDownsample = lib.function(
                "openslide_get_level_downsample", FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ADDRESS, INT32));
        this.readRegion = lib.function(
                "openslide_read_region",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, INT64, INT64, INT32, INT64, INT64));
        this.propertyNames = lib.function("openslide_get_property_names", FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.propertyValue =
                lib.function("openslide_get_property_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        this.detectVendor = lib.function("openslide_detect_vendor", FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.version = lib.function("openslide_get_version", FunctionDescriptor.of(ADDRESS));
    }

    static Optional<OpenSlideLibrary> instance() {
        return INSTANCE;
    }

    private static Optional<OpenSlideLibrary> load() {
        try {
            return Optional.of(new OpenSlideLibrary(NativeLibrary.open(NAMES)));
        } catch (UnsatisfiedLinkError notThere) {
            return Optional.empty();
        }
    }
}
