package org.tessera.orchestrator.common.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.run.persistence.RunRepository;

class QueryParamsTest {

    @Test
    void sortReadsPlusMinusAndTheSpaceAnUnencodedPlusBecomes() {
        List<SortOrder> orders = QueryParams.sort(
                Arrays.asList("-submitted_at", "+run_id", " application_id", "-submitted_at"),
                RunRepository.SORT_FIELDS.names());

        assertThat(orders)
                .containsExactly(
                        new SortOrder("submitted_at", true),
                        new SortOrder("run_id", false),
                        new SortOrder("application_id", false));
    }

    @Test
    void unknownSortFieldsAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> QueryParams.sort(List.of("secret"), RunRepository.SORT_FIELDS.names()))
                .isInstanceOfSatisfying(
                        ValidationFailedException.class,
                        e -> assertThat(e.errors().getFirst().loc()).containsExactly("query", "sort"));
    }

    @Test
    void pageSizeIsFiveToHundred() {
        assertThat(QueryParams.pageSize("page_size", null)).isEqualTo(50);
        assertThat(QueryParams.pageSize("page_size", "5")).isEqualTo(5);
        assertThatThrownBy(() -> QueryParams.pageSize("page_size", "4")).isInstanceOf(ValidationFailedException.class);
        assertThatThrownBy(() -> QueryParams.pageSize("page-size", "x"))
                .isInstanceOfSatisfying(
                        ValidationFailedException.class,
                        e -> assertThat(e.errors().getFirst().loc()).containsExactly("query", "page-size"));
    }

    @Test
    void jsonPathsGetTheRootPrefixWhenMissing() {
        assertThat(QueryParams.jsonPath("custom_metadata", "study")).isEqualTo("$.study");
        assertThat(QueryParams.jsonPath("custom_metadata", "$.a ? (@ > 1)")).isEqualTo("$.a ? (@ > 1)");
        assertThat(QueryParams.jsonPath("custom_metadata", "strict $.a")).isEqualTo("strict $.a");
        assertThat(QueryParams.jsonPath("custom_metadata", " ")).isNull();
        assertThatThrownBy(() -> QueryParams.jsonPath("custom_metadata", "$." + "a".repeat(1000)))
                .isInstanceOf(ValidationFailedException.class);
    }
}
