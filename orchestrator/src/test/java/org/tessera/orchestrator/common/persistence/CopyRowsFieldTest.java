package org.tessera.orchestrator.common.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** COPY's text format for one field; the real database reads such fields back in {@code RunSubmissionApiTest}. */
class CopyRowsFieldTest {

    private static String field(Object value) {
        StringBuilder text = new StringBuilder("|");
        CopyRows.field(text, value);
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
}
