package org.tessera.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ItemViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aProcessingItemShowsItsStageAndShareOfTiles() throws Exception {
        ItemView item = ItemView.of(JSON.readTree("""
                {"external_id":"a.svs","state":"PROCESSING","termination_reason":null,
                 "progress":{"stage":"TILING","tiles_done":12,"tiles_total":40}}"""));
        assertThat(item.describe()).isEqualTo("a.svs PROCESSING TILING 12/40 tiles (30%)");
        assertThat(item.fraction()).isEqualTo(0.3);
        assertThat(item.succeeded()).isFalse();
    }

    @Test
    void aTerminatedItemShowsHowItEndedAndWhy() throws Exception {
        ItemView failed = ItemView.of(JSON.readTree("""
                {"external_id":"b.tiff","state":"TERMINATED","termination_reason":"USER_ERROR",
                 "error_code":"INPUT_UNREADABLE","error_message":"not a TIFF","progress":null}"""));
        assertThat(failed.describe()).isEqualTo("b.tiff USER_ERROR INPUT_UNREADABLE: not a TIFF");
        assertThat(failed.fraction()).isEqualTo(1);
        ItemView pending =
                ItemView.of(JSON.readTree("{\"external_id\":\"c\",\"state\":\"PENDING\",\"progress\":null}"));
        assertThat(pending.describe()).isEqualTo("c PENDING");
        assertThat(pending.fraction()).isZero();
    }
}
