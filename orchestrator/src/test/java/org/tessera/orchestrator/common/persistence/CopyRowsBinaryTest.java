package org.tessera.orchestrator.common.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * COPY's binary form, byte by byte; the real database reads such rows back in {@code RunSubmissionApiTest} (text with
 * every character the text form had to escape) and {@code ItemRunCheckTest}.
 */
class CopyRowsBinaryTest {

    /** The signature (11 bytes) and the two header words. */
    private static final int HEADER = 19;

    private static final List<CopyRows.Column> COLUMNS = List.of(
            CopyRows.uuid("id"),
            CopyRows.integer("n"),
            CopyRows.text("name"),
            CopyRows.jsonb("doc"),
            CopyRows.json("raw"),
            CopyRows.timestamptz("at"));

    @Test
    void aRowIsItsFieldCountThenEachFieldsLengthAndBytes() {
        UUID id = UUID.fromString("0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
        CopyRows.Binary data = new CopyRows.Binary(8);
        data.row(COLUMNS, new Object[] {id, 42, "ü\t\\", "{\"a\":1}", "[]", Instant.parse("2000-01-01T00:00:01.000002Z")
        });
        data.end();
        ByteBuffer read = ByteBuffer.wrap(data.toByteArray());

        byte[] signature = new byte[11];
        read.get(signature);
        assertThat(signature).containsExactly('P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0);
        assertThat(read.getInt()).as("flags").isZero();
        assertThat(read.getInt()).as("header extension").isZero();

        assertThat(read.getShort()).as("fields").isEqualTo((short) 6);
        assertThat(read.getInt()).isEqualTo(16);
        assertThat(new UUID(read.getLong(), read.getLong())).isEqualTo(id);
        assertThat(read.getInt()).isEqualTo(4);
        assertThat(read.getInt()).isEqualTo(42);
        assertThat(text(read)).as("text goes as it is: nothing to escape").isEqualTo("ü\t\\");
        assertThat(read.getInt()).isEqualTo(8);
        assertThat(read.get()).as("jsonb's version").isEqualTo((byte) 1);
        byte[] json = new byte[7];
        read.get(json);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(text(read)).isEqualTo("[]");
        assertThat(read.getInt()).isEqualTo(8);
        assertThat(read.getLong()).as("microseconds since 2000").isEqualTo(1_000_002L);

        assertThat(read.getShort()).as("the trailer").isEqualTo((short) -1);
        assertThat(read.hasRemaining()).isFalse();
    }

    @Test
    void nullIsLengthMinusOneAndAnEnumIsItsName() {
        CopyRows.Binary data = new CopyRows.Binary(8);
        data.row(List.of(CopyRows.text("state"), CopyRows.uuid("id")), new Object[] {Thread.State.NEW, null});
        byte[] bytes = data.toByteArray();
        ByteBuffer read = ByteBuffer.wrap(bytes, HEADER, bytes.length - HEADER);
        assertThat(read.getShort()).isEqualTo((short) 2);
        assertThat(text(read)).isEqualTo("NEW");
        assertThat(read.getInt()).isEqualTo(-1);
        assertThat(read.hasRemaining()).isFalse();
    }

    @Test
    void timesBefore2000AreNegativeAndManyRowsGrowTheBuffer() {
        CopyRows.Binary data = new CopyRows.Binary(8);
        for (int i = 0; i < 1_000; i++) {
            data.row(List.of(CopyRows.timestamptz("at")), new Object[] {Instant.parse("1999-12-31T23:59:59Z")});
        }
        byte[] bytes = data.toByteArray();
        ByteBuffer read = ByteBuffer.wrap(bytes, HEADER, 14);
        assertThat(read.getShort()).isEqualTo((short) 1);
        assertThat(read.getInt()).isEqualTo(8);
        assertThat(read.getLong()).isEqualTo(-1_000_000L);
        assertThat(bytes).hasSize(HEADER + 1_000 * 14);
    }

    @Test
    void aValueOfTheWrongKindNamesItsColumn() {
        CopyRows.Binary data = new CopyRows.Binary(8);
        assertThatThrownBy(() -> data.row(List.of(CopyRows.uuid("item_id")), new Object[] {"not a uuid"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item_id");
        assertThatThrownBy(() -> data.row(List.of(CopyRows.integer("position")), new Object[] {1L << 40}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position");
    }

    private static String text(ByteBuffer read) {
        byte[] bytes = new byte[read.getInt()];
        read.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
