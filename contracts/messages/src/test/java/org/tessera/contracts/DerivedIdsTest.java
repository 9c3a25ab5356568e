package org.tessera.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DerivedIdsTest {

    private static final UUID RUN = UUID.fromString("8a5f7d0e-5c1b-4b7e-9a43-0f1f2a3b4c5d");
    private static final UUID ITEM = UUID.fromString("1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9");

    @Test
    void theSameFactAlwaysGetsTheSameId() {
        assertThat(DerivedIds.itemEvent(RUN, ITEM, 2, ItemSucceeded.TYPE))
                .isEqualTo(DerivedIds.itemEvent(RUN, ITEM, 2, ItemSucceeded.TYPE))
                .isEqualTo(UUID.nameUUIDFromBytes(
                        ("tessera/item-event/" + RUN + "/" + ITEM + "/2/" + ItemSucceeded.TYPE).getBytes()));
        assertThat(DerivedIds.slideJob(RUN, ITEM, 1)).isEqualTo(DerivedIds.slideJob(RUN, ITEM, 1));
    }

    @Test
    void theDigestKeptPerThreadGivesTheJdksNameBasedUuids() {
        for (int i = 0; i < 2_000; i++) {
            byte[] name = ("tessera/item/" + RUN + "/" + i + "/slide-" + i + ".svs").getBytes();
            assertThat(DerivedIds.of("item", RUN, i, "slide-" + i + ".svs")).isEqualTo(UUID.nameUUIDFromBytes(name));
        }
    }

    /**
     * The name is written straight into bytes; the id must stay what building {@code tessera/<kind>/<parts>} as a string
     * and hashing its UTF-8 gives, for every kind of part, ids of every service included.
     */
    @Test
    void theNameWrittenAsBytesGivesTheSameIdsAsTheNameWrittenAsAString() {
        Random random = new Random(20261205);
        String[] texts = {"", "whole_slide_image", "progress/7", "résumé", "中文", "\uD83E\uDDEC slide", "x\uD800y", "a/b"
        };
        for (int i = 0; i < 5_000; i++) {
            Object[] parts = {
                new UUID(random.nextLong(), random.nextLong()),
                random.nextInt(),
                random.nextLong(),
                texts[random.nextInt(texts.length)] + random.nextInt(1_000),
                RunState.values()[random.nextInt(RunState.values().length)],
                null
            };
            int count = 1 + random.nextInt(parts.length);
            Object[] chosen = Arrays.copyOf(parts, count);
            StringBuilder name = new StringBuilder("tessera/kind-" + i % 7);
            for (Object part : chosen) {
                name.append('/').append(part);
            }
            assertThat(DerivedIds.of("kind-" + i % 7, chosen))
                    .as(name.toString())
                    .isEqualTo(UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)));
        }
        String longKind = "k".repeat(300);
        assertThat(DerivedIds.of(longKind, RUN, "é".repeat(200)))
                .isEqualTo(UUID.nameUUIDFromBytes(
                        ("tessera/" + longKind + "/" + RUN + "/" + "é".repeat(200)).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anItemsIdBeginsWithItsRunsAndIsTheSameEveryTime() {
        UUID first = DerivedIds.item(RUN, 0);
        assertThat(DerivedIds.item(RUN, 0)).isEqualTo(first);
        assertThat(first.version()).isEqualTo(8);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() & ~0xf000L).isEqualTo(RUN.getMostSignificantBits() & ~0xf000L);
        assertThat(first.getLeastSignificantBits())
                .isEqualTo(DerivedIds.of("item", RUN, 0).getLeastSignificantBits());

        java.util.Set<UUID> ids = new java.util.HashSet<>();
        for (int position = 0; position < 500; position++) {
            ids.add(DerivedIds.item(RUN, position));
        }
        assertThat(ids).hasSize(500);
        UUID otherRun = new UUID(RUN.getMostSignificantBits(), ~RUN.getLeastSignificantBits());
        assertThat(DerivedIds.item(otherRun, 0)).isNotEqualTo(first);
    }

    @Test
    void differentFactsGetDifferentIds() {
        assertThat(DerivedIds.itemEvent(RUN, ITEM, 2, ItemSucceeded.TYPE))
                .isNotEqualTo(DerivedIds.itemEvent(RUN, ITEM, 3, ItemSucceeded.TYPE))
                .isNotEqualTo(DerivedIds.itemEvent(RUN, ITEM, 2, ItemFailed.TYPE));
        // The kind is part of the name, so a slide job and an item event over the same ids never collide.
        assertThat(DerivedIds.slideJob(RUN, ITEM, 1)).isNotEqualTo(DerivedIds.of("item-event", RUN, ITEM, 1));
        // Each consumer group dead-letters a record once; two groups reading the same record write two letters.
        assertThat(DerivedIds.deadLetter(Topics.SLIDE_JOBS, 0, 7, "tessera-workers"))
                .isNotEqualTo(DerivedIds.deadLetter(Topics.SLIDE_JOBS, 0, 7, "tessera-orchestrator"));
    }

    @Test
    void aLedgerEntryIdIsTheItemsAndMatchesTheGoldenSample() throws java.io.IOException {
        assertThat(DerivedIds.ledgerEntry(ITEM)).isEqualTo(DerivedIds.of("ledger-entry", ITEM));
        assertThat(DerivedIds.ledgerEntry(ITEM)).isNotEqualTo(DerivedIds.item(RUN, 0));

        Envelope<LedgerEntry> sample = ContractsJson.read(
                java.nio.file.Files.readAllBytes(ContractSamplesTest.RESOURCES.resolve("samples/ledger.entry/v1.json")),
                LedgerEntry.class);
        assertThat(sample.eventId())
                .isEqualTo(sample.payload().entryId())
                .isEqualTo(DerivedIds.ledgerEntry(sample.itemId()));
    }
}
