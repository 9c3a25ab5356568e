package org.tessera.openslide;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A C library opened with Java FFM: its functions as method handles and its strings as Java strings. OpenSlide's
 * binding is built on it, and so is any other binding of the slide readers (libjpeg-turbo).
 */
// Calling into native code is the point of this class; restricted FFM methods are enabled per JVM by
// --enable-native-access.
@SuppressWarnings("restricted")
public final class NativeLibrary {

    private final String name;
    private final SymbolLookup lookup;

    private NativeLibrary(String name, SymbolLookup lookup) {
        this.name = name;
        this.lookup = lookup;
    }

    /**
     * Opens the first of {@code names} the dynamic linker finds, for the life of the JVM.
     *
     * @throws UnsatisfiedLinkError when none is found, naming each name tried and why it failed
     */
    public static NativeLibrary open(List<String> names) {
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                return new NativeLibrary(name, SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException | IllegalCallerException notThere) {
                failures.add(name + ": " + notThere.getMessage());
            }
        }
        throw new UnsatisfiedLinkError(String.join("; ", failures));
    }

    /** The name the library was found under, e.g. {@code libopenslide.so.0}. */
    public String name() {
        return name;
    }

    /**
     * A downcall handle for one of the library's functions ({@code options}: e.g. {@link Linker.Option#critical} for
     * short calls that may read and write Java arrays in place).
     *
     * @throws UnsatisfiedLinkError when the library lacks it (an older release)
     */
    public MethodHandle function(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address =
                lookup.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError(name + " lacks " + symbol));
        return Linker.nativeLinker().downcallHandle(address, descriptor, options);
    }

    /** Reads a NUL-terminated C string the library returned (owned by it; never freed here); null for NULL. */
    public static String string(MemorySegment pointer) {
        if (pointer.equals(MemorySegment.NULL)) {
            return null;
        }
        return pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }
}
