package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class TileCodecsTest {

    /** 32x16 RGB of {@link #sample}, LZW-compressed by libtiff (Pillow): crosses the 9-, 10- and 11-bit code widths. */
    private static final String LIBTIFF_LZW =
            "gAAAICAYEAoGA4IBIKBYMBoOB4QCISCYUCoWC4YDIaDYcDoeD4gEIiEYkEomE4oFIqFYsFouF4wGIzGg1Gw3HA5HQ7Hg9Hw/IBBI"
                    + "RDIhFIxHJBJJRLJhNJxPKBRKRTKhVKxXLBZLRbLhdLxfMBhgYDg8JhcNh8RicVi8Zjcdj8hkclk8plctl8xGIymk2nM7ns/oNDot"
                    + "HpNLptPqNTqtXrNbrtfsJiMcFsoIhkOiESikWjEajkekEikkmlEqlkumEyvk1m9/Hc+oFColGpFKplOqFSqlWrFarlesBhyhkMuX"
                    + "s8OtWdtuguGjuemu2pvOsvuvnU82RAwm2w+5xW8xu/yHCyZj4xmM9mzNpzmet2huOkumnu+qvWtm047OB2butuxDdMW3rHOAyLhu"
                    + "KMr1DQNLkvctb4Le0S5NKurULw1a9uu/jAO22jCwCxLdsY3zHuCyTiPRBYzwaNQ1rQzcIubCboQs+zqQ0/TsQ8wUQO83ERvFE0Dv"
                    + "NFT0xaNMXjYNsIOYz8JvmEIcB0HgfO4IgjCQJQmCcKApCoKwsC0LgvDAMQyDMNA1DYNw4DkOg7DwPQ+D8QBBEIQxEEURhHEgSRKE"
                    + "sTBNE6T5QlGUpTlSVZWleWJZlqW5cl2XpfmCYZimOZJlmaZ4HgiCYKguDINg6D4QhGEoThSFYWhemYahuHLYyxLUuS9MExTJM00T"
                    + "VNk3ThOU6TtPE9T5P1AUETROE8UBRUTRdG0fSNJ0rS9M03Tpo1BUVSVNVFVVZV1YVk2IfiCIYiy3LsvzDMcyzPNM1zbN84znOs7z"
                    + "zPc+z/QNB2ZZxSFMVBVWlSFJUpS1MU1ThnmiadQ1HUtT1TVdW1eGdY1mHtz3SI4kiWJt211eFe3nYF7WHfNjX5ZN/2aUWBYIVhXF"
                    + "gWVqYTa+GW0aZq27idwYtceM3Ljl0CLj+QieKIpird9eXlX962FfFi33ZF/WXmGZFVmmbFoWxcF1a2F2zh2emviVv4rcWMY1c2j6"
                    + "SJul6aK4si2Lt419elg3vYl9WPftlYBmOB67mpZbBsReF8YBhWxhuHmqa5s29ilw4vcmN47pGQbnpgq7tvAvjCMYy5Pqe/ZXq/BZ"
                    + "fgPDa9xOwl1xnHGIYxkGVnnJmybegbZzOic3uPPbp0O7i70nTDONI1jbQhQFGUxUlYV+blwXZfGCYhj90aBpmsbJuG+cRynQdZ3H"
                    + "ieh7n0foAAGAwEgYB4JAqDANg8EISBOFQWhiDQG4OgegdBACMEwKQWAvBkDUHAOwfBBCIEcJTIgphWCyFwL4YnThrDcHEOgdw9B9"
                    + "EAIMQwiRGCPEkJUTAmxPChFKKgVYrhYi0Fu2MYAwxjDJGYM8aQ1RsDbG8OEcg5x1DtHgPMew+R+D/AEAUBACwHEB";

    private static int sample(int i) {
        return (((i % 97) * (i / 700 + 1)) + (i / 50)) & 0xFF;
    }

    @Test
    void lzwMatchesLibtiff() throws Exception {
        byte[] in = Base64.getDecoder().decode(LIBTIFF_LZW);
        byte[] out = new byte[32 * 16 * 3];
        TileCodecs.decompress(TileCodecs.LZW, in, in.length, out);
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i] & 0xFF).as("byte %d", i).isEqualTo(sample(i));
        }
    }

    @Test
    void lzwNeverWritesPastItsOutput() throws Exception {
        byte[] in = Base64.getDecoder().decode(LIBTIFF_LZW);
        byte[] out = new byte[100];
        TileCodecs.decompress(TileCodecs.LZW, in, in.length, out);
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i] & 0xFF).isEqualTo(sample(i));
        }
    }

    @Test
    void packBitsRunsAndLiterals() throws Exception {
        // 3 literals, a run of 4 x 7, then the no-op -128.
        byte[] in = {2, 10, 11, 12, -3, 7, -128};
        byte[] out = new byte[7];
        TileCodecs.decompress(TileCodecs.PACKBITS, in, in.length, out);
        assertThat(out).containsExactly(10, 11, 12, 7, 7, 7, 7);
    }

    @Test
    void horizontalPredictorAddsTheLeftNeighbourPerSample() {
        byte[] rows = {10, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        TileCodecs.undoHorizontalPredictor(rows, 2, 3, 2);
        assertThat(rows).containsExactly(10, 20, 11, 22, 3, 4, 8, 10, 7, 8, 16, 18);
    }
}
