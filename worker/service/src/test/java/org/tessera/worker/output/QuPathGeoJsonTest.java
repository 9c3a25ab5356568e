package org.tessera.worker.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuPathGeoJsonTest {

    /** Coordinates are written without the general double conversion; the text must be what Jackson writes. */
    @Test
    void hundredthsAreWrittenAsJacksonWritesTheDouble() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        double[] fixed = {
            0,
            -0.0,
            0.01,
            0.1,
            0.5,
            1,
            9.99,
            10.05,
            1234.5,
            39999.99,
            40000,
            9_999_999.99,
            1e7,
            2.5e7,
            -3.25,
            0.07,
            100.1,
            123456.78
        };
        StringBuilder expected = new StringBuilder();
        StringBuilder written = new StringBuilder();
        for (int i = 0; i < fixed.length + 50_000; i++) {
            double value = i < fixed.length
                    ? fixed[i]
                    : QuPathGeoJson.round(
                            i % 2 == 0
                                    ? random.nextDouble() * 160_000
                                    : random.nextInt(40_001) * 8 * random.nextDouble());
            expected.append(write(json -> json.writeNumber(value))).append('\n');
            written.append(write(json -> QuPathGeoJson.writeHundredths(json, value)))
                    .append('\n');
        }
        assertThat(written.toString()).isEqualTo(expected.toString());
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static String write(Body body) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.writeStartArray();
            body.write(json);
            json.writeEndArray();
        }
        return text.toString();
    }
}
