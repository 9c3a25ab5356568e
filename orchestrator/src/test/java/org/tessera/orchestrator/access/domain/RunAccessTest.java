package org.tessera.orchestrator.access.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunAccessTest {

    /** Every combination of facts, the access it gives, and what that access allows: read, change, share. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(true, false, false, RunAccess.OWNER, true, true, true),
                Arguments.of(true, true, true, RunAccess.OWNER, true, true, true),
                Arguments.of(true, false, true, RunAccess.OWNER, true, true, true),
                Arguments.of(true, true, false, RunAccess.OWNER, true, true, true),
                Arguments.of(false, true, false, RunAccess.ADMIN, true, false, true),
                Arguments.of(false, true, true, RunAccess.ADMIN, true, false, true),
                Arguments.of(false, false, true, RunAccess.VIEWER, true, false, false),
                Arguments.of(false, false, false, RunAccess.NONE, false, false, false));
    }

    @ParameterizedTest(name = "owner={0} administers={1} viewer={2} -> {3}")
    @MethodSource("table")
    void theFactsDecideTheAccessAndTheAccessDecidesWhatIsAllowed(
            boolean owner,
            boolean administers,
            boolean viewer,
            RunAccess expected,
            boolean read,
            boolean change,
            boolean share) {
        RunAccess access = RunAccess.of(owner, administers, viewer);
        assertThat(access).isEqualTo(expected);
        assertThat(access.canRead()).as("read").isEqualTo(read);
        assertThat(access.canChange()).as("change").isEqualTo(change);
        assertThat(access.canShare()).as("share").isEqualTo(share);
    }
}
