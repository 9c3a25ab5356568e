package org.tessera.slides;

import java.io.IOException;

/**
 * Makes a single-threaded reader thread-safe by keeping one open instance per thread that reads at the same time: a
 * read borrows an idle instance (opening another when none is idle) and returns it afterwards. For backends whose
 * decoders are not thread-safe, e.g. a Bio-Formats {@code IFormatReader}.
 */
public final class SlideReaderPool implements SlideReader {

    /** Opens one more instance of the same file. */
    @FunctionalInterface
    public interface Opener {
        SlideReader open() throws SlideFormatException, IOException;
    }

    private final SlideInfo info;
    private final String backend;
    private final Pool<SlideReader> pool;

    private SlideReaderPool(SlideReader first, Opener opener) {
        this.info = first.info();
        this.backend = first.backend();
        this.pool = new Pool<>(opener::open);
        pool.add(first);
    }

    /**
     * @param first an instance already open (its {@link SlideInfo} describes the slide)
     * @param opener opens further instances when several threads read at once
     */
    public static SlideReader of(SlideReader first, Opener opener) {
        return new SlideReaderPool(first, opener);
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public void readPixels(int level, int x, int y, int width, int height, int[] argb)
            throws SlideFormatException, IOException {
        pool.lend(reader -> reader.readPixels(level, x, y, width, height, argb));
    }

    @Override
    public void close() throws IOException {
        pool.close();
    }
}
