package org.tessera.worker.pipeline;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A worker process that dies in native code while it has a slide open, as one does when a decoder crashes on a file:
 * it marks an item's directory as the pipeline does, then makes libc write through a null pointer (SIGSEGV).
 */
public final class CrashWhileReading {

    private CrashWhileReading() {}

    /** @param args the work dir, the item id */
    // A native call is the point: it is what crashes.
    @SuppressWarnings("restricted")
    public static void main(String[] args) throws Throwable {
        Path workDir = Path.of(args[0]);
        Path dir = Files.createTempDirectory(workDir, "item-" + args[1] + "-1-");
        Files.writeString(dir.resolve("slide.tiff"), "the slide being read");
        new ReaderCrashes(workDir).reading(dir);
        Linker linker = Linker.nativeLinker();
        MethodHandle memset = linker.downcallHandle(
                linker.defaultLookup().find("memset").orElseThrow(),
                FunctionDescriptor.of(
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MemorySegment ignored = (MemorySegment) memset.invokeExact(MemorySegment.NULL, 0, 64L);
        System.out.println("still alive: " + ignored);
    }
}
