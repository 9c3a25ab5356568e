package org.tessera.slides;

import java.lang.management.ManagementFactory;

/** Bytes of heap the calling thread allocates while it runs some code: proof that a reader refused before allocating. */
final class HeapAllocations {

    /** Code that may throw anything. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** What {@link #measure} saw: the bytes allocated, and what the code threw (null when it returned). */
    record Measured(long bytes, Throwable thrown) {}

    private HeapAllocations() {}

    static Measured measure(Work work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
            work.run();
        } catch (Exception | Error e) {
            thrown = e;
        }
        return new Measured(threads.getCurrentThreadAllocatedBytes() - before, thrown);
    }
}
