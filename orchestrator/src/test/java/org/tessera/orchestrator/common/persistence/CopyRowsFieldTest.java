package org.tessera.orchestrator.common.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** COPY's text format for one field; the real database reads such fields back in {@code RunSubmissionApiTest}. */
class CopyRowsFieldTest {

    private static String field(Object value) {
        CopyRows.Text text = new CopyRows.Text(4);
        text.separator('|');
        text.field(value);
        return text.toString();
    }

    @Test
    void backslashAndTheSeparatorsAreEscapedWhereverTheyStand() {
        assertThat(field("\\a\tb\nc\rd\\")).isEqualTo("|\\\\a\\tb\\nc\\rd\\\\");
        assertThat(field("\t\t")).isEqualTo("|\\t\\t");
    }

    @Test
    void otherTextIsCopiedAsItIsAndNullIsTheNullMarker() {
        assertThat(field("slide-1 ü €, \"quoted\"")).isEqualTo("|slide-1 ü €, \"quoted\"");
        assertThat(field("")).isEqualTo("|");
        assertThat(field(null)).isEqualTo("|\\N");
        assertThat(field(Thread.State.NEW)).isEqualTo("|NEW");
    }

    @Test
    void instantsAreWrittenInIsoFormEvenWhenRepeated() {
        CopyRows.Text text = new CopyRows.Text(4);
        Instant first = Instant.parse("2026-12-05T01:02:03.456789Z");
        text.field(first);
        text.separator('\t');
        text.field(first);
        text.separator('\t');
        text.field(first.plusSeconds(1));
        assertThat(text.toString())
                .isEqualTo("2026-12-05T01:02:03.456789Z\t2026-12-05T01:02:03.456789Z\t2026-12-05T01:02:04.456789Z");
    }

    @Test
    void multiByteCharactersSurviveEscapingAndTheBufferGrows() {
        String mixed = "ü€😀\t".repeat(100);
        assertThat(field(mixed)).isEqualTo("|" + "ü€😀\\t".repeat(100));
    }
}
