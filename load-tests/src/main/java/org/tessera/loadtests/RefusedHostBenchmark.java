package org.tessera.loadtests;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.tessera.worker.common.InputRejectedException;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.fetch.AddressPolicy;
import org.tessera.worker.fetch.SlideFetcher;

/**
 * How long one worker spends on a run whose slide URLs all point at a host that refuses connections: the worker's
 * fetcher with its default settings downloads {@code items} URLs of one run, one after another, from a closed port on
 * 127.0.0.1. Prints the total and the first and last item's times.
 *
 * <p>{@code java -cp worker/service/target/classes:contracts/messages/target/classes
 * load-tests/src/main/java/org/tessera/loadtests/RefusedHostBenchmark.java [items] [each-its-own-run]}
 */
public final class RefusedHostBenchmark {

    private RefusedHostBenchmark() {}

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        // "each-its-own-run": no item can learn from another's failure, so only the retry policy shows.
        boolean separateRuns = args.length > 1 && args[1].equals("each-its-own-run");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SlideFetcher fetcher =
                new SlideFetcher(new AddressPolicy(true, false), SlideFetcher.Settings.defaults(21_474_836_480L));
        Path dir = Files.createTempDirectory("refused-host");
        UUID run = UUID.randomUUID();
        long start = System.nanoTime();
        long first = 0;
        long last = 0;
        for (int i = 0; i < items; i++) {
            long itemStart = System.nanoTime();
            try {
                fetcher.fetch(
                        separateRuns ? UUID.randomUUID() : run,
                        "http://127.0.0.1:" + port + "/slide-" + i,
                        dir.resolve("s" + i),
                        null,
                        ProgressSink.NONE);
            } catch (InputRejectedException e) {
                if (i == 0 || i == items - 1) {
                    System.out.println("item " + (i + 1) + ": " + e.code() + " " + e.getMessage());
                }
            }
            long took = System.nanoTime() - itemStart;
            if (i == 0) {
                first = took;
            }
            last = took;
        }
        System.out.printf(
                "%d refused items" + (separateRuns ? ", each of its own run" : " of one run")
                        + ": %.3f s (first %.1f ms, last %.3f ms)%n",
                items,
                (System.nanoTime() - start) / 1e9,
                first / 1e6,
                last / 1e6);
    }
}
