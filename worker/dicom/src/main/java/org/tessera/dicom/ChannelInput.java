package org.tessera.dicom;

import java.io.IOException;

/** Sequential little-endian reading over a {@link SharedChannel}, buffered; positions are {@code long}. */
final class ChannelInput {

    private static final int BUFFER_SIZE = 1 << 16;

    private final SharedChannel channel;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private long bufferStart;
    private int bufferLength;
    private long position;

    ChannelInput(SharedChannel channel, long position) {
        this.channel = channel;
        this.position = position;
    }

    String name() {
        return channel.name();
    }

    long position() {
        return position;
    }

    long size() {
        return channel.size();
    }

    long remaining() {
        return channel.size() - position;
    }

    void seek(long newPosition) {
        position = newPosition;
    }

    /** Moves forward, failing with TRUNCATED when that leaves the file. */
    void skip(long count) throws DicomFormatException {
        require(count);
        position += count;
    }

    void require(long count) throws DicomFormatException {
        if (count < 0 || count > remaining()) {
            throw new DicomFormatException(
                    DicomFormatException.Code.TRUNCATED,
                    channel.name() + ": a length of " + Long.toUnsignedString(count) + " at offset " + position
                            + " runs past the end of the file (" + channel.size() + " bytes)");
        }
    }

    int u8() throws IOException {
        fill(1);
        return buffer[(int) (position++ - bufferStart)] & 0xFF;
    }

    int u16() throws IOException {
        fill(2);
        int i = (int) (position - bufferStart);
        position += 2;
        return (buffer[i] & 0xFF) | (buffer[i + 1] & 0xFF) << 8;
    }

    long u32() throws IOException {
        fill(4);
        int i = (int) (position - bufferStart);
        position += 4;
        return (buffer[i] & 0xFFL)
                | (buffer[i + 1] & 0xFFL) << 8
                | (buffer[i + 2] & 0xFFL) << 16
                | (buffer[i + 3] & 0xFFL) << 24;
    }

    /** A tag: group then element, each 16-bit little-endian. */
    int tag() throws IOException {
        int group = u16();
        int element = u16();
        return group << 16 | element;
    }

    byte[] bytes(int count) throws IOException {
        require(count);
        byte[] value = new byte[count];
        int done = 0;
        while (done < count) {
            if (position >= bufferStart && position < bufferStart + bufferLength) {
                int available = (int) (bufferStart + bufferLength - position);
                int n = Math.min(available, count - done);
                System.arraycopy(buffer, (int) (position - bufferStart), value, done, n);
                done += n;
                position += n;
            } else if (count - done >= BUFFER_SIZE) {
                channel.readFully(position, value, done, count - done);
                position += count - done;
                done = count;
            } else {
                fill(1);
            }
        }
        return value;
    }

    private void fill(int count) throws IOException {
        if (position >= bufferStart && position + count <= bufferStart + bufferLength) {
            return;
        }
        require(count);
        bufferStart = position;
        bufferLength = (int) Math.min(BUFFER_SIZE, channel.size() - position);
        channel.readFully(bufferStart, buffer, 0, bufferLength);
    }
}
