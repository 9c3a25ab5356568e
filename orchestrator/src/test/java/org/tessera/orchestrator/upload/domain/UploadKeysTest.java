package org.tessera.orchestrator.upload.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.objectstore.ObjectKeys;

class UploadKeysTest {

    private static final UUID UPLOAD = UUID.fromString("00000000-0000-0000-0000-000000000007");

    @Test
    void keysLieUnderTheOrganizationUserAndUploadWithUnsafeCharactersReplaced() {
        UploadKeys.Plan plan = UploadKeys.plan("demo", "auth0|42", UPLOAD, List.of("Case 1 (HE).svs", "b.tiff"));

        assertThat(plan.problems()).isEmpty();
        assertThat(plan.prefix()).isEqualTo("uploads/demo/auth0_42/" + UPLOAD);
        assertThat(plan.files())
                .extracting(UploadKeys.PlannedFile::key)
                .containsExactly(plan.prefix() + "/Case_1__HE_.svs", plan.prefix() + "/b.tiff");
        plan.files().forEach(file -> ObjectKeys.requireValid(file.key()));
    }

    @Test
    void pathsDotSegmentsBlankAndClashingNamesAreProblemsByPosition() {
        UploadKeys.Plan plan = UploadKeys.plan(
                "demo", "u", UPLOAD, Arrays.asList("a/b.svs", "..\\x", " ", null, "A b.svs", "a_b.svs", ".."));

        assertThat(plan.problems()).extracting(UploadKeys.NameProblem::index).containsExactly(0, 1, 2, 3, 5);
        assertThat(plan.problems().get(4).message()).contains("appears twice");
        assertThat(plan.files())
                .extracting(UploadKeys.PlannedFile::key)
                .containsExactly("uploads/demo/u/" + UPLOAD + "/A_b.svs", "uploads/demo/u/" + UPLOAD + "/__");
        plan.files().forEach(file -> ObjectKeys.requireValid(file.key()));
    }

    @Test
    void aNameLongerThanTheLimitIsRefused() {
        UploadKeys.Plan plan = UploadKeys.plan("demo", "u", UPLOAD, List.of("x".repeat(256)));
        assertThat(plan.problems())
                .singleElement()
                .extracting(UploadKeys.NameProblem::type)
                .isEqualTo("string_too_long");
    }
}
