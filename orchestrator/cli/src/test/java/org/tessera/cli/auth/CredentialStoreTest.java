package org.tessera.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;

class CredentialStoreTest {

    @TempDir
    Path home;

    @Test
    void tokensAreKeptPerApiInAFileOnlyTheOwnerCanRead() throws Exception {
        CredentialStore store = new CredentialStore(home.resolve("tessera"));
        Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
        store.write("http://a", new CredentialStore.Credential("token-a", expiry, "alice", "http://issuer"));
        store.write("http://b", new CredentialStore.Credential("token-b", expiry, "bob", "http://issuer"));

        assertThat(store.read("http://a"))
                .get()
                .extracting(CredentialStore.Credential::accessToken)
                .isEqualTo("token-a");
        assertThat(store.read("http://b").orElseThrow().subject()).isEqualTo("bob");
        assertThat(store.read("http://c")).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(store.file().getParent())))
                .isEqualTo("rwx------");

        assertThat(store.remove("http://a")).isTrue();
        assertThat(store.read("http://a")).isEmpty();
        assertThat(store.read("http://b")).isPresent();
    }

    @Test
    void aFileOthersCanReadIsRefusedWithTheFix() throws Exception {
        CredentialStore store = new CredentialStore(home.resolve("tessera"));
        store.write("http://a", new CredentialStore.Credential("t", null, "alice", null));
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> store.read("http://a"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("refusing to read")
                .hasMessageContaining("chmod 600")
                .extracting(e -> ((CliException) e).exitCode())
                .isEqualTo(ExitCode.AUTH);
    }

    @Test
    void theFolderFollowsXdgConfigHome() {
        assertThat(CredentialStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", "/x/config")))
                .isEqualTo(Path.of("/x/config/tessera"));
        assertThat(CredentialStore.defaultDirectory(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "tessera"));
    }

    @Test
    void expiryIsJudgedAgainstTheGivenTime() {
        CredentialStore.Credential credential =
                new CredentialStore.Credential("t", Instant.parse("2030-01-01T00:00:00Z"), null, null);
        assertThat(credential.expired(Instant.parse("2029-12-31T23:59:59Z"))).isFalse();
        assertThat(credential.expired(Instant.parse("2030-01-01T00:00:00Z"))).isTrue();
    }
}
