package org.tessera.dicom;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.tessera.bytes.ByteSource;

/**
 * A read-only file that many threads read at once with positional reads. A thread interrupted during a read closes
 * a {@link FileChannel} for everybody (that is how interruptible channels work); this class reopens it so that the
 * other readers carry on, and only the interrupted thread sees the exception. A file reachable only through a
 * {@link ByteSource} (e.g. a signed URL read with range requests) is read through it instead.
 */
final class SharedChannel implements Closeable {

    private final Path path;
    private final String name;
    private final long size;
    private final ByteSource source;
    private volatile FileChannel channel;
    private volatile boolean closed;

    SharedChannel(Path path, String name) throws IOException {
        this.path = path;
        this.name = name;
        this.source = null;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
    }

    /** Reads through {@code source}, which closing this closes. */
    SharedChannel(ByteSource source, String name) throws IOException {
        this.path = null;
        this.name = name;
        this.source = source;
        this.size = source.size();
    }

    String name() {
        return name;
    }

    /** The local file, or null when read through a {@link ByteSource}. */
    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    /** Reads exactly {@code length} bytes at {@code position}; fails with TRUNCATED past the end of the file. */
    void readFully(long position, byte[] target, int offset, int length) throws IOException {
        if (position < 0 || position + length > size) {
            throw new DicomFormatException(
                    DicomFormatException.Code.TRUNCATED,
                    name + ": needs bytes " + position + ".." + (position + length) + " but the file has " + size);
        }
        ByteBuffer buffer = ByteBuffer.wrap(target, offset, length);
        if (source != null) {
            try {
                source.readFully(buffer, position);
            } catch (java.io.EOFException e) {
                throw new DicomFormatException(
                        DicomFormatException.Code.TRUNCATED, name + ": file ended while reading at " + position);
            }
            return;
        }
        while (buffer.hasRemaining()) {
            FileChannel current = channel;
            try {
                int n = current.read(buffer, position + (buffer.position() - offset));
                if (n < 0) {
                    throw new DicomFormatException(
                            DicomFormatException.Code.TRUNCATED, name + ": file ended while reading at " + position);
                }
            } catch (ClosedByInterruptException e) {
                reopen(current);
                throw e;
            } catch (AsynchronousCloseException e) {
                // Another thread was interrupted mid-read and took the channel down with it: reopen and retry.
                reopen(current);
            } catch (ClosedChannelException e) {
                reopen(current);
            }
        }
    }

    private synchronized void reopen(FileChannel stale) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (channel == stale) {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (source != null) {
            source.close();
        } else {
            channel.close();
        }
    }
}
