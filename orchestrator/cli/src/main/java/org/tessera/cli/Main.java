package org.tessera.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tessera.cli.api.ApiClient;
import org.tessera.cli.apps.AppsCommand;
import org.tessera.cli.auth.LoginCommand;
import org.tessera.cli.auth.LogoutCommand;
import org.tessera.cli.runs.RunsCommand;
import org.tessera.cli.view.ViewCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tessera}: the platform's command-line client. */
@Command(
        name = "tessera",
        mixinStandardHelpOptions = true,
        version = "tessera 0.1.0",
        description = "Submit whole-slide images to a Tessera platform, follow their runs and fetch the results.",
        subcommands = {
            LoginCommand.class,
            LogoutCommand.class,
            AppsCommand.class,
            RunsCommand.class,
            ViewCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done; runs watch: every item succeeded",
            "1:the run ended with failed or skipped items",
            "2:usage: wrong command line or unreadable slide",
            "3:not signed in, token expired or refused, or not allowed",
            "4:a quota refused the request (the message names it)",
            "5:the platform refused the request (not found, conflict, invalid)",
            "6:the platform is unreachable or failed, or the feature is not in this build",
            "7:a downloaded file does not match its checksum"
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        // The slide readers log which backend opened each file; a user of the client needs only warnings.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            boolean json =
                    command.getParseResult() != null && command.getParseResult().hasMatchedOption("--json");
            int exitCode;
            String code = null;
            String message;
            if (exception instanceof CliException cli) {
                exitCode = cli.exitCode();
                code = cli.code();
                message = cli.getMessage();
            } else {
                exitCode = ExitCode.UNAVAILABLE;
                message = "unexpected failure: " + exception;
            }
            if (json) {
                ObjectNode error = ApiClient.JSON.createObjectNode();
                ObjectNode body = error.putObject("error");
                body.put("message", message);
                body.put("code", code);
                body.put("exit_code", exitCode);
                System.out.println(error);
            }
            command.getErr().println("tessera: " + message);
            command.getErr().flush();
            return exitCode;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
