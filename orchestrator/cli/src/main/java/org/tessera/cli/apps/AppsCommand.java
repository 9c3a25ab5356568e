package org.tessera.cli.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tessera.cli.ExitCode;
import org.tessera.cli.Session;
import org.tessera.cli.Table;
import org.tessera.cli.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tessera apps list|describe}: the applications the caller's organization has. */
@Command(
        name = "apps",
        description = "The applications your organization can run.",
        subcommands = {AppsCommand.ListApps.class, AppsCommand.Describe.class})
public final class AppsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    @Command(name = "list", description = "List the applications and their latest versions.")
    static final class ListApps implements Callable<Integer> {

        @Mixin
        Session session;

        @Override
        public Integer call() {
            // GET /v1/applications spells its page size "page-size".
            List<JsonNode> applications = session.api().getAll("applications", "page-size");
            if (session.json()) {
                ArrayNode array = ApiClient.JSON.createArrayNode();
                applications.forEach(array::add);
                session.printJson(array);
                return ExitCode.OK;
            }
            Table table = new Table("APPLICATION", "LATEST", "NAME");
            for (JsonNode application : applications) {
                JsonNode latest = application.path("latest_version");
                table.row(
                        application.path("application_id").asText(),
                        latest.isTextual()
                                ? latest.asText()
                                : latest.path("number").asText(null),
                        application.path("name").asText());
            }
            table.print(session.terminal().out());
            return ExitCode.OK;
        }
    }

    @Command(name = "describe", description = "Show an application, its versions and what each slide needs.")
    static final class Describe implements Callable<Integer> {

        @Mixin
        Session session;

        @Parameters(index = "0", paramLabel = "APPLICATION", description = "e.g. test-app")
        String applicationId;

        @Override
        public Integer call() {
            JsonNode application = session.api().get("applications/" + ApiClient.encode(applicationId));
            List<String> versions = versions(application);
            JsonNode latest = versions.isEmpty()
                    ? null
                    : session.api()
                            .get("applications/" + ApiClient.encode(applicationId) + "/versions/"
                                    + ApiClient.encode(Versions.highest(versions)));
            if (session.json()) {
                ObjectNode out = ApiClient.JSON.createObjectNode();
                out.set("application", application);
                out.set("latest_version", latest);
                session.printJson(out);
                return ExitCode.OK;
            }
            var out = session.terminal().out();
            out.println(
                    session.terminal().bold(application.path("application_id").asText()) + "  "
                            + application.path("name").asText());
            if (application.hasNonNull("description")) {
                out.println(application.path("description").asText());
            }
            out.println("versions: " + String.join(", ", versions));
            if (latest != null) {
                out.println("latest: " + latest.path("version_number").asText());
                for (JsonNode input : latest.path("input_artifacts")) {
                    out.println("  input  " + input.path("name").asText() + " ("
                            + input.path("mime_type").asText() + ")");
                }
                for (JsonNode output : latest.path("output_artifacts")) {
                    out.println("  output " + output.path("name").asText() + " ("
                            + output.path("mime_type").asText() + ")");
                }
            }
            return ExitCode.OK;
        }
    }

    static List<String> versions(JsonNode application) {
        List<String> versions = new ArrayList<>();
        for (JsonNode version : application.path("versions")) {
            versions.add(
                    version.isTextual()
                            ? version.asText()
                            : version.path("number").asText());
        }
        return versions;
    }
}
