package org.tessera.orchestrator.quota.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunSlotsTest {

    private static final UUID A1 = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID A2 = UUID.fromString("00000000-0000-0000-0000-0000000000a2");
    private static final UUID B1 = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    private static final UUID C1 = UUID.fromString("00000000-0000-0000-0000-0000000000c1");

    private static final List<RunSlots.Waiting> LINE = List.of(
            new RunSlots.Waiting(A1, "alice"),
            new RunSlots.Waiting(A2, "alice"),
            new RunSlots.Waiting(B1, "bob"),
            new RunSlots.Waiting(C1, "carol"));

    private static Map<String, Integer> limits(Object... userAndLimit) {
        Map<String, Integer> limits = new HashMap<>();
        for (int i = 0; i < userAndLimit.length; i += 2) {
            limits.put((String) userAndLimit[i], (Integer) userAndLimit[i + 1]);
        }
        return limits;
    }

    @Test
    void withoutLimitsEveryWaitingRunStartsInSubmissionOrder() {
        RunSlots.Occupancy occupancy = new RunSlots.Occupancy(null, Map.of(), Map.of("alice", 7));

        assertThat(RunSlots.admissible(occupancy, LINE)).containsExactly(A1, A2, B1, C1);
    }

    @Test
    void theOrganizationLimitStopsTheLine() {
        RunSlots.Occupancy occupancy = new RunSlots.Occupancy(3, Map.of(), Map.of("dave", 1));

        assertThat(RunSlots.admissible(occupancy, LINE)).containsExactly(A1, A2);
    }

    @Test
    void aUserAtTheirLimitIsPassedOverAndTheNextUserGoes() {
        RunSlots.Occupancy occupancy = new RunSlots.Occupancy(3, limits("alice", 1), Map.of());

        assertThat(RunSlots.admissible(occupancy, LINE)).containsExactly(A1, B1, C1);
    }

    @Test
    void runsAlreadyInProgressCountAgainstBothLimits() {
        RunSlots.Occupancy full = new RunSlots.Occupancy(2, Map.of(), Map.of("alice", 1, "bob", 1));
        assertThat(RunSlots.admissible(full, LINE)).isEmpty();
        assertThat(full.hasRoomFor("carol")).isFalse();

        RunSlots.Occupancy aliceBusy = new RunSlots.Occupancy(null, limits("alice", 1), Map.of("alice", 1));
        assertThat(RunSlots.admissible(aliceBusy, LINE)).containsExactly(B1, C1);
        assertThat(aliceBusy.hasRoomFor("alice")).isFalse();
        assertThat(aliceBusy.hasRoomFor("bob")).isTrue();
    }

    @Test
    void anEmptyLineStartsNothing() {
        assertThat(RunSlots.admissible(new RunSlots.Occupancy(1, Map.of(), Map.of()), List.of()))
                .isEmpty();
    }
}
