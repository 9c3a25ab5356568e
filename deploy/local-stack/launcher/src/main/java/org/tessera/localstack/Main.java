package org.tessera.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./local-stack <command>}: {@code demo} starts the stack, runs the demo and stops it again; {@code up} starts
 * the stack in the background and says how to use it; {@code down} stops it; {@code status} shows it; {@code token
 * [user]} prints a bearer token. ({@code serve} is what {@code up} runs in the background.)
 */
public final class Main {

    static final String USAGE = """
            usage: ./local-stack <command> [options]

              demo               start the stack, run a 3-slide demo run (one slide corrupt), download the
                                 results into .local-stack/results/, stop the stack
              up                 start the stack in the background and print its URLs
              down               stop the stack that `up` started
              status             show whether the stack runs, its URLs and its processes
              token [user]       print a bearer token for a seeded user (member, the default, or admin)

            options:
              --port-base N      `up`: use ports N..N+8 (default %d); `demo` uses free ports unless given

            `demo` runs against a stack started with `up` when there is one, and leaves it running.
              --start-timeout S  seconds each service may take to become ready (default 120)
            """.formatted(PortPlan.DEFAULT_BASE);

    private static final Duration DOWN_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private final Path root;
    private final Path stateDir;
    private final PrintStream out;

    Main(Path root, PrintStream out) {
        this.root = root.toAbsolutePath().normalize();
        this.stateDir = this.root.resolve(".local-stack");
        this.out = out;
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("tessera.root", "."))
                .toAbsolutePath()
                .normalize();
        int code;
        try {
            code = new Main(root, System.out).run(List.of(args));
        } catch (StackException | ApiException | IllegalArgumentException e) {
            System.err.println();
            System.err.println("local-stack: " + e.getMessage());
            code = 1;
        } catch (Exception e) {
            System.err.println();
            System.err.println("local-stack: " + e);
            e.printStackTrace(System.err);
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    int run(List<String> args) throws Exception {
        if (args.isEmpty() || args.contains("-h") || args.contains("--help")) {
            out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        Arguments arguments = Arguments.parse(args.subList(1, args.size()));
        return switch (args.getFirst()) {
            case "demo" -> demo(arguments);
            case "up" -> up(arguments);
            case "serve" -> serve(arguments);
            case "down" -> down();
            case "status" -> status();
            case "token" -> token(arguments);
            default -> {
                System.err.print("unknown command '" + args.getFirst() + "'\n\n" + USAGE);
                yield 2;
            }
        };
    }

    private StackOptions options(Arguments arguments, PortPlan defaultPorts) {
        StackOptions options = StackOptions.defaults(root, stateDir)
                .withPorts(arguments.portBase().map(PortPlan::fromBase).orElse(defaultPorts));
        return arguments.startTimeout().map(options::withStartTimeout).orElse(options);
    }

    private int demo(Arguments arguments) throws Exception {
        Instant start = Instant.now();
        Optional<StackState> running = StackState.read(stateDir)
                .filter(state -> state.status() == StackState.Status.READY)
                .filter(state ->
                        state.supervisor().flatMap(StackState.Pid::handle).isPresent());
        if (running.isPresent()) {
            // A stack started with `up` is used as it is, and left running.
            StackState state = running.get();
            out.println("Tessera demo against the running local stack at "
                    + state.get("api-url").orElseThrow());
            Demo.Outcome outcome = new Demo(
                            URI.create(state.get("api-url").orElseThrow()),
                            URI.create(state.get("access-url").orElseThrow()),
                            stateDir,
                            root,
                            out,
                            RUN_TIMEOUT)
                    .run();
            out.printf(
                    Locale.ROOT,
                    "%ndemo finished in %.1f s; results in %s; the stack keeps running (./local-stack down stops it)%n",
                    seconds(Duration.between(start, Instant.now())),
                    rel(outcome.resultsDir()));
            return 0;
        }

        out.println("Tessera local stack demo");
        StackOptions options = options(arguments, PortPlan.anyFree());
        LocalStack stack = LocalStack.start(options, Seed.standard(), ProcessHandle.current(), this::step);
        Duration startup = Duration.between(start, Instant.now());
        step(String.format(Locale.ROOT, "stack ready in %.1f s; logs in %s", seconds(startup), rel(options.logDir())));
        try {
            out.println();
            Demo.Outcome outcome = Demo.against(stack, out, RUN_TIMEOUT).run();
            out.println();
            step("stopping the stack");
            stack.close();
            out.printf(
                    Locale.ROOT,
                    "%ndemo finished in %.1f s (stack start %.1f s). Results: %s%n",
                    seconds(Duration.between(start, Instant.now())),
                    seconds(startup),
                    rel(outcome.resultsDir()));
            out.println("To keep a stack running for your own clients: ./local-stack up");
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("demo failed: " + e.getMessage());
            System.err.println("service logs are in " + rel(options.logDir()) + "; last lines of each:");
            stack.logs().forEach((name, log) -> {
                System.err.println("--- " + rel(log) + " ---");
                System.err.println(ChildProcess.tail(log, 15));
            });
            throw e;
        } finally {
            stack.close();
        }
        return 0;
    }

    /** Starts {@code serve} as a background process of its own session and waits until the stack is ready. */
    private int up(Arguments arguments) throws Exception {
        Optional<StackState> existing = StackState.read(stateDir);
        if (existing.isPresent()
                && existing.get().supervisor().flatMap(StackState.Pid::handle).isPresent()) {
            out.println("The local stack is already running (./local-stack down stops it).");
            printInfo(existing.get());
            return 0;
        }
        // Fails now, with a clear message, rather than in the background.
        options(arguments, PortPlan.fromBase(PortPlan.DEFAULT_BASE)).ports().resolve();
        StackState.delete(stateDir);
        Files.createDirectories(stateDir.resolve("logs"));
        Path launcherLog = stateDir.resolve("logs").resolve("launcher.log");

        List<String> command = new ArrayList<>();
        // setsid puts the stack in a session of its own: closing this terminal or pressing Ctrl-C here does not stop
        // it; ./local-stack down does.
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            command.add("setsid");
        }
        command.addAll(List.of(
                StackOptions.currentJava(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-Dtessera.root=" + root,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve"));
        arguments.portBase().ifPresent(base -> command.addAll(List.of("--port-base", Integer.toString(base))));
        arguments
                .startTimeout()
                .ifPresent(timeout -> command.addAll(List.of("--start-timeout", Long.toString(timeout.toSeconds()))));
        Process serve = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(launcherLog.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();

        out.println("starting the local stack in the background (progress in " + rel(launcherLog) + ") ...");
        Instant start = Instant.now();
        int printedLines = 0;
        while (true) {
            printedLines = echoNewLines(launcherLog, printedLines);
            Optional<StackState> state = StackState.read(stateDir);
            if (state.isPresent() && state.get().status() == StackState.Status.READY) {
                echoNewLines(launcherLog, printedLines);
                out.println();
                out.printf(
                        Locale.ROOT,
                        "The local stack is up (%.1f s).%n",
                        seconds(Duration.between(start, Instant.now())));
                printInfo(state.get());
                return 0;
            }
            if (!serve.isAlive()
                    || state.map(s -> s.status() == StackState.Status.FAILED).orElse(false)) {
                serve.waitFor();
                echoNewLines(launcherLog, printedLines);
                System.err.println("the local stack did not start; see above and " + rel(launcherLog));
                return 1;
            }
            if (Duration.between(start, Instant.now()).compareTo(UP_TIMEOUT) > 0) {
                System.err.println("the local stack was not ready after " + UP_TIMEOUT.toMinutes()
                        + " min; stopping it. See " + rel(stateDir.resolve("logs")));
                down();
                return 1;
            }
            Thread.sleep(250);
        }
    }

    private int echoNewLines(Path log, int alreadyPrinted) throws IOException {
        if (!Files.isRegularFile(log)) {
            return alreadyPrinted;
        }
        List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = alreadyPrinted; i < lines.size(); i++) {
            out.println("  " + lines.get(i));
        }
        return lines.size();
    }

    /** The background process behind {@code up}: runs the stack until SIGTERM. */
    private int serve(Arguments arguments) throws InterruptedException {
        StackOptions options = options(arguments, PortPlan.fromBase(PortPlan.DEFAULT_BASE));
        LocalStack stack = LocalStack.start(options, Seed.standard(), ProcessHandle.current(), this::step);
        // The stack's own shutdown hook stops the services on SIGTERM (from `down`); this one only reports it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> step("SIGTERM: stopping the stack")));
        step("ready: API at " + stack.apiUrl());
        new CountDownLatch(1).await();
        return 0;
    }

    /** Stops exactly the processes recorded in the state file: the launcher first, which stops its services. */
    int down() {
        Optional<StackState> found = StackState.read(stateDir);
        if (found.isEmpty()) {
            out.println("no local stack is running (no " + rel(stateDir.resolve(StackState.FILE)) + ")");
            return 0;
        }
        StackState state = found.get();
        Optional<ProcessHandle> launcher = state.supervisor().flatMap(StackState.Pid::handle);
        if (launcher.isPresent()) {
            out.println(
                    "stopping the local stack (launcher pid " + launcher.get().pid() + ") ...");
            boolean clean = ChildProcess.stop(launcher.get(), DOWN_TIMEOUT);
            if (!clean) {
                System.err.println("the launcher did not stop within " + DOWN_TIMEOUT.toSeconds() + " s; killed it");
            }
        }
        // Whatever the launcher could not stop (it was killed, or it crashed) is stopped here, by recorded pid.
        for (StackState.Pid pid : state.pids()) {
            pid.handle().ifPresent(handle -> {
                out.println("stopping " + pid.name() + " (pid " + pid.pid() + ")");
                if (!ChildProcess.stop(handle, Duration.ofSeconds(30))) {
                    System.err.println(pid.name() + " did not stop within 30 s; killed it");
                }
            });
        }
        StackState.delete(stateDir);
        out.println("stopped");
        return 0;
    }

    private int status() {
        Optional<StackState> found = StackState.read(stateDir);
        if (found.isEmpty()) {
            out.println("not running (start it with ./local-stack up)");
            return 3;
        }
        StackState state = found.get();
        boolean launcherAlive =
                state.supervisor().flatMap(StackState.Pid::handle).isPresent();
        out.println("status: "
                + (launcherAlive
                        ? state.status()
                        : "launcher not running (last status " + state.status()
                                + "); ./local-stack down stops whatever is left"));
        state.get("error").ifPresent(error -> out.println("error: " + error));
        for (StackState.Pid pid : state.pids()) {
            out.printf(
                    "  %-13s pid %-8d %s%n",
                    pid.name(), pid.pid(), pid.handle().isPresent() ? "running" : "not running");
        }
        state.get("api-url")
                .ifPresent(api ->
                        out.println("  API health:   " + health(URI.create(api).resolve("/health"))));
        if (launcherAlive) {
            printInfo(state);
        }
        return launcherAlive && state.status() == StackState.Status.READY ? 0 : 3;
    }

    private int token(Arguments arguments) throws Exception {
        StackState state = StackState.read(stateDir)
                .filter(s -> s.status() == StackState.Status.READY)
                .orElseThrow(() ->
                        new StackException("token", "the local stack is not running; start it with ./local-stack up"));
        String user = arguments.positional().isEmpty()
                ? "member"
                : arguments.positional().getFirst();
        URI url = URI.create(state.get("access-url").orElseThrow() + "/token?user=" + user);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(url)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new StackException("token", response.body().strip());
            }
            out.println(response.body());
        }
        return 0;
    }

    private void printInfo(StackState state) {
        String api = trimSlash(state.get("api-url").orElse("?"));
        String access = trimSlash(state.get("access-url").orElse("?"));
        Seed seed = Seed.standard();
        out.println("  dashboard:     " + api + "/dashboard/   (Sign in, then choose one of the users below)");
        out.println("  API:           " + api + "/api/v1   (health: " + api + "/health)");
        state.get("metrics-url")
                .ifPresent(metrics -> out.println("  metrics:       " + metrics + "   (worker: "
                        + state.get("worker-metrics-url").orElse("?") + "; management ports, not the API's)"));
        out.println("  try:           TOKEN=$(curl -s -X POST '" + access + "/token?user="
                + seed.member().subject() + "')   (or ./local-stack token <user>)");
        out.println("                 curl -H \"Authorization: Bearer $TOKEN\" " + api + "/api/v1/applications");
        out.println("  sign in as:    (dashboard: press Sign in and choose the user on " + access
                + "/authorize; API: the token command; each proves a second factor, as organizations require)");
        for (Seed.Organization organization : seed.organizations()) {
            out.println("    " + organization.id() + " (" + organization.name() + ", " + limits(organization) + "):");
            for (StackUser user : organization.users()) {
                out.printf(
                        "      %-7s %-17s dashboard: choose '%s'   API: ./local-stack token %s%n",
                        user.role(), user.subject(), user.subject(), user.subject());
            }
        }
        out.printf(
                "    platform operator (super-admin) %s: dashboard: choose '%s'   API: ./local-stack token %s%n",
                seed.operator().subject(),
                seed.operator().subject(),
                seed.operator().subject());
        out.println("  object store:  " + state.get("objectstore-url").orElse("?") + "   (sign a URL: curl -s -X POST '"
                + access + "/sign?method=PUT&key=uploads/" + seed.primary().id() + "/my-slide.tiff')");
        out.println("  Kafka:         " + state.get("kafka-bootstrap").orElse("?"));
        out.println("  PostgreSQL:    " + state.get("postgres-jdbc-url").orElse("?") + " (user postgres, no password)");
        out.println("  logs:          " + rel(stateDir.resolve("logs")) + "/<service>.log");
        out.println("  stop:          ./local-stack down");
    }

    private static String limits(Seed.Organization organization) {
        String applications = organization.applications().isEmpty()
                ? "test-app only"
                : "test-app, " + String.join(", ", organization.applications());
        return applications + "; "
                + (organization.monthlyWsiLimit() == null ? "unlimited" : organization.monthlyWsiLimit())
                + " WSIs a month, "
                + (organization.maxParallelRuns() == null ? "any number of" : organization.maxParallelRuns())
                + " parallel runs"
                + (organization.maxWsisPerRun() == null ? "" : ", " + organization.maxWsisPerRun() + " WSIs per run");
    }

    private static String health(URI url) {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().strip();
        } catch (IOException e) {
            return "unreachable (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private void step(String message) {
        out.printf("%tT  %s%n", java.time.LocalTime.now(), message);
    }

    private String rel(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Options after the command. */
    record Arguments(Optional<Integer> portBase, Optional<Duration> startTimeout, List<String> positional) {

        static Arguments parse(List<String> args) {
            Optional<Integer> portBase = Optional.empty();
            Optional<Duration> startTimeout = Optional.empty();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--port-base" -> portBase = Optional.of(number(args, ++i, arg));
                    case "--start-timeout" -> startTimeout = Optional.of(Duration.ofSeconds(number(args, ++i, arg)));
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + arg + "\n\n" + USAGE);
                        }
                        positional.add(arg);
                    }
                }
            }
            return new Arguments(portBase, startTimeout, positional);
        }

        private static int number(List<String> args, int index, String option) {
            if (index >= args.size()) {
                throw new IllegalArgumentException(option + " needs a number");
            }
            try {
                return Integer.parseInt(args.get(index));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, got '" + args.get(index) + "'");
            }
        }
    }
}
