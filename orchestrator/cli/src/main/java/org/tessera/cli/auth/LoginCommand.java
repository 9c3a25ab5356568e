package org.tessera.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;
import org.tessera.cli.Session;
import org.tessera.cli.Terminal;
import org.tessera.cli.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tessera login}: the device sign-in; the token is cached for this API URL. */
@Command(
        name = "login",
        description = "Sign in with the identity provider (device flow: approve a code in any browser); the token is"
                + " cached, readable by you only, in $XDG_CONFIG_HOME/tessera (or ~/.config/tessera).")
public final class LoginCommand implements Callable<Integer> {

    @Mixin
    Session session;

    @Override
    public Integer call() {
        Terminal terminal = session.terminal();
        DeviceLogin.Token token = new DeviceLogin(session.issuerUrl(), Clock.systemUTC()).login(prompt -> {
            if (session.json()) {
                ObjectNode event = ApiClient.JSON.createObjectNode();
                event.put("event", "device_authorization");
                event.put("user_code", prompt.userCode());
                event.put("verification_uri", prompt.verificationUri().toString());
                event.put(
                        "verification_uri_complete",
                        prompt.verificationUriComplete() == null
                                ? null
                                : prompt.verificationUriComplete().toString());
                event.put("expires_in", prompt.expiresIn().toSeconds());
                session.printJson(event);
            }
            terminal.err()
                    .println("To sign in, open " + prompt.verificationUri() + " and enter the code "
                            + terminal.bold(prompt.userCode())
                            + (prompt.verificationUriComplete() == null
                                    ? ""
                                    : " (or open " + prompt.verificationUriComplete() + ")"));
            terminal.err().println("Waiting for approval ...");
            terminal.err().flush();
        });
        CredentialStore store = session.credentials();
        store.write(
                session.apiUrl(),
                new CredentialStore.Credential(
                        token.accessToken(),
                        token.expiresAt(),
                        token.subject(),
                        session.issuerUrl().toString()));
        JsonNode me = null;
        try {
            me = new ApiClient(java.net.URI.create(session.apiUrl()), token::accessToken).get("me");
        } catch (CliException e) {
            if (e.exitCode() == ExitCode.AUTH) {
                throw e;
            }
            terminal.err()
                    .println("tessera: signed in, but the platform could not be asked who you are: " + e.getMessage());
        }
        String organization =
                me == null ? null : me.path("organization").path("id").asText(null);
        if (session.json()) {
            ObjectNode done = ApiClient.JSON.createObjectNode();
            done.put("event", "signed_in");
            done.put("subject", token.subject());
            done.put("organization_id", organization);
            done.put("expires_at", token.expiresAt().toString());
            done.put("credentials_file", store.file().toString());
            session.printJson(done);
        } else {
            terminal.out()
                    .println(terminal.green("Signed in") + " as " + token.subject()
                            + (organization == null ? "" : " (" + organization + ")") + " until " + token.expiresAt()
                            + "; token cached in " + store.file());
        }
        return ExitCode.OK;
    }
}
