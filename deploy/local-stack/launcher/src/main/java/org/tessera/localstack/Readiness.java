package org.tessera.localstack;

import java.time.Duration;
import java.time.Instant;

/** Waits until a service answers, failing early when its process dies and with its log when time runs out. */
final class Readiness {

    private static final Duration POLL = Duration.ofMillis(250);

    @FunctionalInterface
    interface Probe {
        /** True once the service is ready; may throw while it is not. */
        boolean ready() throws Exception;
    }

    private Readiness() {}

    static void await(String service, ChildProcess process, Duration timeout, String waitingFor, Probe probe) {
        Instant deadline = Instant.now().plus(timeout);
        Exception lastError = null;
        while (true) {
            if (process != null && !process.isAlive()) {
                throw new StackException(
                        service,
                        "exited with code " + process.exitValue() + " while waiting for " + waitingFor,
                        process.logFile());
            }
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException(service, "interrupted while waiting for " + waitingFor);
            } catch (Exception e) {
                lastError = e;
            }
            if (Instant.now().isAfter(deadline)) {
                String cause = lastError == null ? "" : " (last error: " + lastError + ")";
                throw new StackException(
                        service,
                        "not ready after " + timeout.toSeconds() + " s: no " + waitingFor + cause,
                        process == null ? null : process.logFile());
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException(service, "interrupted while waiting for " + waitingFor);
            }
        }
    }
}
