package org.tessera.bytes;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Random access to the bytes of one slide file, wherever they are: a local file ({@link FileByteSource}) or a signed
 * URL read with HTTP range requests ({@link HttpRangeByteSource}). Thread-safe: reads are positional and may run at
 * once. Slide readers read through it, so the same reader serves the worker's downloaded file and the viewer's
 * remote slide.
 */
public interface ByteSource extends Closeable {

    /** How messages name the source, e.g. a file name; never a signed URL (it is a credential). */
    String name();

    /** Size in bytes. */
    long size() throws IOException;

    /**
     * Reads up to {@code target.remaining()} bytes at {@code position} into {@code target}.
     *
     * @return the number of bytes read, or -1 when {@code position} is at or past the end
     */
    int read(ByteBuffer target, long position) throws IOException;

    /** Reads until {@code target} is full; fails with {@link EOFException} when the source ends first. */
    default void readFully(ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int n = read(target, at);
            if (n < 0) {
                throw new EOFException(
                        name() + " ends at byte " + at + " while " + target.remaining() + " more bytes were asked for");
            }
            at += n;
        }
    }

    /** The local file this source reads, when it is one: readers that must hand a path to native code need it. */
    default Path file() {
        return null;
    }

    /** A local file. */
    static ByteSource of(Path file) throws IOException {
        return FileByteSource.open(file);
    }
}
