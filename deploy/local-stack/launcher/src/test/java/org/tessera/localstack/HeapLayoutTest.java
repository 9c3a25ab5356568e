package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tessera.localstack.QuarkusService.HeapLayout;

class HeapLayoutTest {

    @Test
    void readsHeapSizesAsTheJvmWritesThem() {
        assertThat(HeapLayout.megabytes("512m")).isEqualTo(512);
        assertThat(HeapLayout.megabytes("512M")).isEqualTo(512);
        assertThat(HeapLayout.megabytes("1g")).isEqualTo(1024);
        assertThat(HeapLayout.megabytes("786432k")).isEqualTo(768);
        assertThat(HeapLayout.megabytes("536870912")).isEqualTo(0);
        assertThat(HeapLayout.megabytes("lots")).isEqualTo(0);
        assertThat(HeapLayout.megabytes("")).isEqualTo(0);
        assertThat(HeapLayout.megabytes(null)).isEqualTo(0);
    }

    @Test
    void theOrchestratorGetsFiveEighthsYoungWithSurvivorsThatHoldItsRequests() {
        assertThat(HeapLayout.REQUESTS.options("512m"))
                .isEqualTo(List.of("-Xmn320m", "-XX:SurvivorRatio=6", "-XX:TargetSurvivorRatio=90"));
        assertThat(HeapLayout.REQUESTS.options("1g"))
                .isEqualTo(List.of("-Xmn640m", "-XX:SurvivorRatio=6", "-XX:TargetSurvivorRatio=90"));
    }

    @Test
    void otherServicesAndUnreadableSizesKeepHalfTheHeapYoung() {
        assertThat(HeapLayout.HALF_YOUNG.options("512m")).isEqualTo(List.of("-XX:NewRatio=1"));
        assertThat(HeapLayout.REQUESTS.options("lots")).isEqualTo(List.of("-XX:NewRatio=1"));
    }
}
