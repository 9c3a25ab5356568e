package org.tessera.orchestrator.run.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WaitingLineTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private static WaitingLine.WaitingRun run(String org, int minute, Instant due, int waiting) {
        return new WaitingLine.WaitingRun(
                UUID.nameUUIDFromBytes((org + minute).getBytes()), org, due, T0.plusSeconds(60L * minute), waiting);
    }

    @Test
    void aSingleSlideOfAnIdleOrganizationGoesBeforeTheBacklogOfABusyOne() {
        WaitingLine.WaitingRun large = run("a", 0, null, 96);
        WaitingLine.WaitingRun single = run("b", 1, null, 1);
        WaitingLine line = new WaitingLine(List.of(large, single), Map.of("a", 4));

        assertThat(line.inFlight()).isEqualTo(4);
        assertThat(line.waiting()).isEqualTo(97);
        assertThat(line.next(2)).containsExactly(single.runId(), large.runId());
        assertThat(line.standing(single.runId())).contains(new WaitingLine.Standing(0, 0));
        assertThat(line.standing(large.runId())).contains(new WaitingLine.Standing(0, 1));
        assertThat(line.place(large.runId(), 1)).contains(new WaitingLine.Place(1, 2));
        assertThat(line.place(large.runId(), 2)).contains(new WaitingLine.Place(2, 3));
        assertThat(line.place(large.runId(), 97)).isEmpty();
        assertThat(line.standing(UUID.randomUUID())).isEmpty();
    }

    @Test
    void levelOrganizationsAreServedRoundRobinInSubmissionOrder() {
        WaitingLine.WaitingRun a = run("a", 0, null, 3);
        WaitingLine.WaitingRun b = run("b", 1, null, 3);
        WaitingLine.WaitingRun c = run("c", 2, null, 1);
        WaitingLine line = new WaitingLine(List.of(c, b, a), Map.of());

        assertThat(line.next(10))
                .containsExactly(a.runId(), b.runId(), c.runId(), a.runId(), b.runId(), a.runId(), b.runId());
    }

    @Test
    void anOrganizationWithFewerItemsInFlightCatchesUpFirst() {
        WaitingLine.WaitingRun a = run("a", 0, null, 5);
        WaitingLine.WaitingRun b = run("b", 1, null, 5);
        WaitingLine line = new WaitingLine(List.of(a, b), Map.of("a", 2));

        assertThat(line.next(4)).containsExactly(b.runId(), b.runId(), a.runId(), b.runId());
    }

    @Test
    void withinAnOrganizationEarlierDueDatesGoFirstThenSubmissionOrder() {
        WaitingLine.WaitingRun noDueDate = run("c", 0, null, 3);
        WaitingLine.WaitingRun dueTomorrow = run("c", 1, T0.plusSeconds(86_400), 3);
        WaitingLine.WaitingRun dueSoon = run("c", 2, T0.plusSeconds(3_600), 2);
        WaitingLine.WaitingRun alsoNoDueDate = run("c", 3, null, 1);
        WaitingLine line = new WaitingLine(List.of(noDueDate, dueTomorrow, dueSoon, alsoNoDueDate), Map.of("c", 4));

        assertThat(line.standing(dueSoon.runId())).contains(new WaitingLine.Standing(0, 0));
        assertThat(line.standing(dueTomorrow.runId())).contains(new WaitingLine.Standing(2, 2));
        assertThat(line.standing(noDueDate.runId())).contains(new WaitingLine.Standing(5, 5));
        assertThat(line.standing(alsoNoDueDate.runId())).contains(new WaitingLine.Standing(8, 8));
        assertThat(line.next(3)).containsExactly(dueSoon.runId(), dueSoon.runId(), dueTomorrow.runId());
    }

    @Test
    void runsAreOrderedByUuidBytesAsPostgresqlDoes() {
        UUID low = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
        UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");

        assertThat(low.compareTo(high)).as("Java's signed order").isPositive();
        assertThat(WaitingLine.compareUuids(low, high)).isNegative();
        WaitingLine line = new WaitingLine(
                List.of(
                        new WaitingLine.WaitingRun(high, "o", null, T0, 1),
                        new WaitingLine.WaitingRun(low, "o", null, T0, 1)),
                Map.of());
        assertThat(line.next(2)).containsExactly(low, high);
    }

    /** The positions reported for every waiting item are exactly the order in which {@link WaitingLine#next} serves. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void reportedPositionsAreTheDispatchOrder(long seed) {
        Random random = new Random(seed);
        List<WaitingLine.WaitingRun> runs = new ArrayList<>();
        Map<String, Integer> inFlight = new HashMap<>();
        int organizations = 1 + random.nextInt(5);
        for (int o = 0; o < organizations; o++) {
            String org = "org-" + o;
            if (random.nextBoolean()) {
                inFlight.put(org, random.nextInt(6));
            }
            int runsOfOrg = 1 + random.nextInt(4);
            for (int r = 0; r < runsOfOrg; r++) {
                Instant due = random.nextInt(3) == 0 ? null : T0.plusSeconds(3_600L * random.nextInt(5));
                runs.add(new WaitingLine.WaitingRun(
                        new UUID(random.nextLong(), random.nextLong()),
                        org,
                        due,
                        T0.plusSeconds(random.nextInt(4)),
                        1 + random.nextInt(7)));
            }
        }
        inFlight.put("idle", 3);
        WaitingLine line = new WaitingLine(runs, inFlight);

        List<UUID> order = line.next(Integer.MAX_VALUE);

        assertThat(order).hasSize(line.waiting());
        Map<UUID, Integer> served = new HashMap<>();
        Map<String, Integer> servedInOrganization = new HashMap<>();
        Map<UUID, String> organizationOf = new HashMap<>();
        runs.forEach(run -> organizationOf.put(run.runId(), run.organizationId()));
        for (int i = 0; i < order.size(); i++) {
            UUID runId = order.get(i);
            int n = served.merge(runId, 1, Integer::sum);
            int inOrganization = servedInOrganization.merge(organizationOf.get(runId), 1, Integer::sum);
            assertThat(line.place(runId, n))
                    .as("item %d of run %s", n, runId)
                    .contains(new WaitingLine.Place(inOrganization, i + 1));
        }
        assertThat(line.inFlight())
                .isEqualTo(
                        inFlight.values().stream().mapToInt(Integer::intValue).sum());
    }
}
