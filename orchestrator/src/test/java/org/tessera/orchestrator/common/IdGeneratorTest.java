package org.tessera.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

    @Test
    void timeOrderedIdsAreVersionSevenAndCarryTheirMillisecond() {
        Instant now = Instant.parse("2026-12-05T01:02:03.456Z");
        UUID id = IdGenerator.timeOrdered(Clock.fixed(now, ZoneOffset.UTC)).next();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
    }

    @Test
    void laterIdsSortLaterAsPostgresComparesThemAndIdsOfOneMillisecondDiffer() {
        Instant start = Instant.parse("2026-12-05T01:02:03Z");
        List<UUID> ids = new ArrayList<>();
        for (int ms = 0; ms < 50; ms++) {
            IdGenerator ofThisMillisecond = IdGenerator.timeOrdered(Clock.fixed(start.plusMillis(ms), ZoneOffset.UTC));
            for (int i = 0; i < 20; i++) {
                ids.add(ofThisMillisecond.next());
            }
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        for (int i = 20; i < ids.size(); i++) {
            // PostgreSQL orders uuids by their bytes, unsigned: the text form's order.
            assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 20).toString());
        }
    }
}
