package org.tessera.bytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file read with positional reads on one {@link FileChannel}: what the worker reads a downloaded slide with. */
public final class FileByteSource implements ByteSource {

    private final Path file;
    private final FileChannel channel;
    private final long size;

    private FileByteSource(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    public static FileByteSource open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new FileByteSource(file, channel, channel.size());
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String name() {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        return channel.read(target, position);
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "FileByteSource[" + file + "]";
    }
}
