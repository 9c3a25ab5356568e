package org.tessera.worker.job;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for the broker to acknowledge a send. */
final class Acks {

    private static final long ACK_TIMEOUT_SECONDS = 60;

    private Acks() {}

    /** Returns once {@code send} is acknowledged; {@code what} names the record in the error. */
    static void await(Future<?> send, String what) throws IOException {
        try {
            send.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not publish " + what, e);
        }
    }
}
