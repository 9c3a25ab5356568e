package org.tessera.cli.auth;

import java.util.concurrent.Callable;
import org.tessera.cli.ExitCode;
import org.tessera.cli.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tessera logout}: forgets the cached token for this API URL. */
@Command(name = "logout", description = "Forget the cached token for this API URL.")
public final class LogoutCommand implements Callable<Integer> {

    @Mixin
    Session session;

    @Override
    public Integer call() {
        boolean removed = session.credentials().remove(session.apiUrl());
        if (session.json()) {
            session.printJson(
                    org.tessera.cli.api.ApiClient.JSON.createObjectNode().put("signed_out", removed));
        } else {
            session.terminal()
                    .out()
                    .println(removed ? "Signed out of " + session.apiUrl() : "Not signed in to " + session.apiUrl());
        }
        return ExitCode.OK;
    }
}
