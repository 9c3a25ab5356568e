package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class PortPlanTest {

    @Test
    void freePortsAreDistinct() {
        PortPlan ports = PortPlan.anyFree().resolve();
        assertThat(ports.asMap()).hasSize(9);
        assertThat(new HashSet<>(ports.asMap().values())).hasSize(9).doesNotContain(0);
    }

    @Test
    void aTakenFixedPortIsNamedWithItsPurpose() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            int base = taken.getLocalPort() - 4;
            assertThatThrownBy(() -> PortPlan.fromBase(base).resolve())
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("kafka")
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("--port-base");
        }
    }

    @Test
    void portBaseMustLeaveRoomForAllServices() {
        assertThatThrownBy(() -> PortPlan.fromBase(65530)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PortPlan.fromBase(8180).postgres()).isEqualTo(8186);
    }
}
