package org.tessera.worker.tiling;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs tiles through decode → batch → inference → post-processing on a fixed number of threads joined by bounded
 * queues, so a slide of any size runs in the same memory: when inference falls behind, decoders block instead of
 * piling up decoded tiles. The first failure in any stage stops all of them and is rethrown by {@link #run}.
 *
 * @param <I> a decoded tile (e.g. pixels)
 * @param <O> a tile's model output
 */
public final class TilePipeline<I, O> {

    /** Decodes one tile; called concurrently from {@code decodeThreads} threads. */
    @FunctionalInterface
    public interface Decoder<I> {
        I decode(Tile tile) throws Exception;
    }

    /** Runs the model on a batch; called from one thread, in batch order. Returns one output per input. */
    @FunctionalInterface
    public interface Inference<I, O> {
        List<O> infer(List<Decoded<I>> batch) throws Exception;
    }

    /** Consumes one tile's output; called concurrently from {@code postThreads} threads. */
    @FunctionalInterface
    public interface PostProcessor<O> {
        void accept(Tile tile, O output) throws Exception;
    }

    /** Told how many tiles are done, at most once per tile. */
    @FunctionalInterface
    public interface Progress {
        void tilesDone(long done, long total);
    }

    /** A tile and its decoded pixels. */
    public record Decoded<I>(Tile tile, I input) {}

    private record Result<O>(Tile tile, O output) {}

    private final int decodeThreads;
    private final int postThreads;
    private final int batchSize;
    private final int queueCapacity;

    /**
     * @param decodeThreads threads decoding tiles
     * @param batchSize tiles per inference call
     * @param postThreads threads post-processing outputs
     * @param queueCapacity tiles each queue holds before its producers wait (bounds memory)
     */
    public TilePipeline(int decodeThreads, int batchSize, int postThreads, int queueCapacity) {
        if (decodeThreads < 1 || batchSize < 1 || postThreads < 1 || queueCapacity < batchSize) {
            throw new IllegalArgumentException("need >= 1 thread per stage, batch >= 1 and queue >= batch; got "
                    + decodeThreads + "/" + batchSize + "/" + postThreads + "/" + queueCapacity);
        }
        this.decodeThreads = decodeThreads;
        this.postThreads = postThreads;
        this.batchSize = batchSize;
        this.queueCapacity = queueCapacity;
    }

    /** Processes every tile of the plan; returns when all are post-processed or throws the first failure. */
    public void run(
            List<Tile> tiles, Decoder<I> decoder, Inference<I, O> inference, PostProcessor<O> post, Progress progress)
            throws Exception {
        Objects.requireNonNull(progress, "progress");
        int total = tiles.size();
        BlockingQueue<Object> decoded = new ArrayBlockingQueue<>(queueCapacity);
        BlockingQueue<Object> outputs = new ArrayBlockingQueue<>(queueCapacity);
        Object endOfStream = new Object();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong nextTile = new AtomicLong();
        AtomicLong done = new AtomicLong();
        List<Thread> threads = new ArrayList<>();

        Runnable stopAll = () -> threads.forEach(Thread::interrupt);
        Function<Runnable, Runnable> guarded = body -> () -> {
            try {
                body.run();
            } catch (StageFailure e) {
                if (failure.compareAndSet(null, e.getCause())) {
                    stopAll.run();
                }
            }
        };

        for (int d = 0; d < decodeThreads; d++) {
            threads.add(Thread.ofPlatform().name("tile-decode-" + d).unstarted(guarded.apply(() -> {
                for (long i; (i = nextTile.getAndIncrement()) < total; ) {
                    Tile tile = tiles.get((int) i);
                    put(decoded, new Decoded<>(tile, call(() -> decoder.decode(tile))));
                }
                put(decoded, endOfStream);
            })));
        }
        threads.add(Thread.ofPlatform().name("tile-inference").unstarted(guarded.apply(() -> {
            int decodersLeft = decodeThreads;
            List<Decoded<I>> batch = new ArrayList<>(batchSize);
            while (decodersLeft > 0) {
                Object next = take(decoded);
                if (next == endOfStream) {
                    decodersLeft--;
                } else {
                    @SuppressWarnings("unchecked")
                    Decoded<I> tile = (Decoded<I>) next;
                    batch.add(tile);
                }
                if (batch.size() == batchSize || (decodersLeft == 0 && !batch.isEmpty())) {
                    List<Decoded<I>> inputs = List.copyOf(batch);
                    batch.clear();
                    List<O> results = call(() -> inference.infer(inputs));
                    if (results.size() != inputs.size()) {
                        throw new StageFailure(new IllegalStateException(
                                "inference returned " + results.size() + " outputs for " + inputs.size() + " tiles"));
                    }
                    for (int k = 0; k < inputs.size(); k++) {
                        put(outputs, new Result<>(inputs.get(k).tile(), results.get(k)));
                    }
                }
            }
            for (int p = 0; p < postThreads; p++) {
                put(outputs, endOfStream);
            }
        })));
        for (int p = 0; p < postThreads; p++) {
            threads.add(Thread.ofPlatform().name("tile-post-" + p).unstarted(guarded.apply(() -> {
                for (Object next; (next = take(outputs)) != endOfStream; ) {
                    @SuppressWarnings("unchecked")
                    Result<O> result = (Result<O>) next;
                    call(() -> {
                        post.accept(result.tile(), result.output());
                        return null;
                    });
                    progress.tilesDone(done.incrementAndGet(), total);
                }
            })));
        }

        threads.forEach(Thread::start);
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            stopAll.run();
            Thread.currentThread().interrupt();
            throw e;
        }
        Throwable first = failure.get();
        if (first instanceof Exception e) {
            throw e;
        } else if (first instanceof Error e) {
            throw e;
        }
    }

    /** Wraps a stage's exception so that it can leave a Runnable and be reported once. */
    private static final class StageFailure extends RuntimeException {
        StageFailure(Throwable cause) {
            super(cause);
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T get() throws Exception;
    }

    private static <T> T call(Step<T> step) {
        try {
            return step.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure(e);
        } catch (Exception | Error e) {
            throw new StageFailure(e);
        }
    }

    private static void put(BlockingQueue<Object> queue, Object value) {
        try {
            queue.put(value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure(e);
        }
    }

    private static Object take(BlockingQueue<Object> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure(e);
        }
    }
}
