package org.tessera.imaging.synthetic;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/** The TIFF strip codecs the JDK lacks: LZW and PackBits. */
final class StripEncoders {

    private static final int CLEAR = 256;
    private static final int END = 257;
    private static final int FIRST_FREE = 258;
    // Codes stay below 4094 so that a reader's 4,096-entry table never fills before the next Clear.
    private static final int TABLE_FULL = 4094;

    private StripEncoders() {}

    /**
     * TIFF LZW: MSB-first codes of 9 to 12 bits with the "early change" readers expect (a code is one bit wider as
     * soon as the table's next entry needs it), a Clear code first and whenever the table fills, an End code last.
     */
    static byte[] lzw(byte[] data) {
        Bits out = new Bits(data.length / 2 + 16);
        Map<Integer, Integer> table = new HashMap<>();
        int next = FIRST_FREE;
        out.write(CLEAR, 9);
        int prefix = -1;
        for (byte b : data) {
            int c = b & 0xFF;
            if (prefix < 0) {
                prefix = c;
                continue;
            }
            Integer known = table.get(prefix << 8 | c);
            if (known != null) {
                prefix = known;
                continue;
            }
            out.write(prefix, width(next));
            table.put(prefix << 8 | c, next++);
            if (next == TABLE_FULL) {
                out.write(CLEAR, width(next));
                table.clear();
                next = FIRST_FREE;
            }
            prefix = c;
        }
        if (prefix >= 0) {
            out.write(prefix, width(next));
            out.write(END, width(next + 1));
        } else {
            out.write(END, 9);
        }
        return out.toByteArray();
    }

    /** Bits a code needs when the table's next entry is {@code next}. */
    private static int width(int next) {
        return Math.max(9, Math.min(12, 32 - Integer.numberOfLeadingZeros(next)));
    }

    /** PackBits, each row on its own as TIFF asks: runs of 2 to 128 equal bytes, literals of up to 128. */
    static byte[] packBits(byte[] data, int rowBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 128 + 16);
        for (int row = 0; row < data.length; row += rowBytes) {
            int end = Math.min(data.length, row + rowBytes);
            int i = row;
            while (i < end) {
                int run = 1;
                while (i + run < end && run < 128 && data[i + run] == data[i]) {
                    run++;
                }
                if (run >= 2) {
                    out.write(1 - run);
                    out.write(data[i]);
                    i += run;
                    continue;
                }
                int literal = 1;
                while (i + literal < end
                        && literal < 128
                        && !(i + literal + 1 < end && data[i + literal] == data[i + literal + 1])) {
                    literal++;
                }
                out.write(literal - 1);
                out.write(data, i, literal);
                i += literal;
            }
        }
        return out.toByteArray();
    }

    /** MSB-first bit packing. */
    private static final class Bits {
        private final ByteArrayOutputStream bytes;
        private long buffer;
        private int count;

        Bits(int capacity) {
            bytes = new ByteArrayOutputStream(capacity);
        }

        void write(int code, int width) {
            buffer = buffer << width | code;
            count += width;
            while (count >= 8) {
                bytes.write((int) (buffer >>> (count - 8)));
                count -= 8;
            }
        }

        byte[] toByteArray() {
            if (count > 0) {
                bytes.write((int) (buffer << (8 - count)));
                count = 0;
            }
            return bytes.toByteArray();
        }
    }
}
