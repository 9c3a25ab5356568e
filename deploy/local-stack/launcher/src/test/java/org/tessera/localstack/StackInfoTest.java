package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ./local-stack up} and {@code status} print about a running stack: the dashboard and who signs in. */
class StackInfoTest {

    @TempDir
    Path root;

    @Test
    void theDashboardAndEachSeededUsersSignInArePrinted() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        StackState.empty()
                .status(StackState.Status.READY)
                .set("api-url", "http://127.0.0.1:1/")
                .set("access-url", "http://127.0.0.1:2")
                .pid("launcher", self.pid(), self.info().startInstant().orElseThrow())
                .write(root.resolve(".local-stack"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        new Main(root, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of("status"));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("dashboard:     http://127.0.0.1:1/dashboard/");
        assertThat(printed).contains("http://127.0.0.1:2/authorize");
        for (StackUser user : Seed.standard().users()) {
            assertThat(printed)
                    .as(user.subject())
                    .contains("choose '" + user.subject() + "'")
                    .contains("./local-stack token " + user.subject());
        }
    }

    @Test
    void theViewerLinkNamesTheRunAndTheItem() {
        var item = DemoClient.object().put("item_id", "4f1c").put("external_id", "slide-1");
        assertThat(Demo.viewerLink("http://127.0.0.1:8180", "run-9", item))
                .isEqualTo("http://127.0.0.1:8180/viewer/?run=run-9&item=4f1c");
    }
}
