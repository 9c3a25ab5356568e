package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStateTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsPidsWithTheLauncherLast() {
        ProcessHandle self = ProcessHandle.current();
        StackState.empty()
                .status(StackState.Status.READY)
                .set("api-url", "http://127.0.0.1:8180/")
                .pid("launcher", self.pid(), self.info().startInstant().orElseThrow())
                .pid("kafka", 42, Instant.ofEpochSecond(1000))
                .write(dir);

        StackState read = StackState.read(dir).orElseThrow();
        assertThat(read.status()).isEqualTo(StackState.Status.READY);
        assertThat(read.get("api-url")).hasValue("http://127.0.0.1:8180/");
        assertThat(read.pids()).extracting(StackState.Pid::name).containsExactly("kafka", "launcher");
        assertThat(read.supervisor().orElseThrow().handle()).hasValue(self);
    }

    @Test
    void aReusedPidWithAnotherStartTimeIsNotTheRecordedProcess() {
        ProcessHandle self = ProcessHandle.current();
        Instant otherStart = self.info().startInstant().orElseThrow().minusSeconds(3600);
        assertThat(new StackState.Pid("kafka", self.pid(), otherStart).handle()).isEmpty();
    }
}
