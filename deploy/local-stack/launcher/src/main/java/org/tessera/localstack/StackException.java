package org.tessera.localstack;

import java.nio.file.Path;
import java.util.List;

/**
 * A service of the stack could not start or stopped unexpectedly. The message says which service and why; when the
 * service has a log, its path and last lines come with it, so the cause is on screen without hunting for files.
 */
public final class StackException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int TAIL_LINES = 40;

    private final String service;
    private final transient Path log;

    public StackException(String service, String message, Path log, Throwable cause) {
        super(service + ": " + message + logExcerpt(log), cause);
        this.service = service;
        this.log = log;
    }

    public StackException(String service, String message, Path log) {
        this(service, message, log, null);
    }

    public StackException(String service, String message) {
        this(service, message, null, null);
    }

    public String service() {
        return service;
    }

    /** The failing service's log file, or null when it has none. */
    public Path log() {
        return log;
    }

    private static String logExcerpt(Path log) {
        if (log == null) {
            return "";
        }
        String tail = ChildProcess.tail(log, 2000);
        // The last lines of a crashed JVM are often the bottom of a stack trace; its first ERROR line says what failed.
        String firstError = tail.lines()
                .filter(line -> line.contains(" ERROR ") || line.startsWith("ERROR") || line.contains("FATAL:"))
                .findFirst()
                .map(line -> System.lineSeparator() + "first error in " + log.getFileName() + ": " + line)
                .orElse("");
        List<String> causes =
                tail.lines().filter(line -> line.startsWith("Caused by: ")).toList();
        String rootCause = causes.isEmpty()
                ? ""
                : System.lineSeparator() + "root cause: " + causes.getLast().substring("Caused by: ".length());
        return firstError + rootCause + System.lineSeparator() + "--- last lines of " + log + " ---"
                + System.lineSeparator()
                + ChildProcess.tail(log, TAIL_LINES) + System.lineSeparator() + "--- end of " + log.getFileName()
                + " ---";
    }
}
