package org.tessera.slides;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Objects that are not thread-safe (decoders, single-threaded readers), handed to one thread at a time. The pool grows
 * to the number of threads that use it at once and keeps every object until {@link #close()}.
 */
final class Pool<T extends AutoCloseable> implements AutoCloseable {

    @FunctionalInterface
    interface Factory<T> {
        T create() throws SlideFormatException, IOException;
    }

    private final Factory<T> factory;
    private final ConcurrentLinkedDeque<T> idle = new ConcurrentLinkedDeque<>();
    private final List<T> all = new ArrayList<>();
    private boolean closed;

    Pool(Factory<T> factory) {
        this.factory = factory;
    }

    /** Adds an object created elsewhere (e.g. the one opened to read the file's header). */
    synchronized void add(T item) {
        all.add(item);
        idle.push(item);
    }

    @FunctionalInterface
    interface Use<T> {
        void accept(T item) throws SlideFormatException, IOException;
    }

    /**
     * Lends an object to {@code use} on this thread: it goes back to the pool when {@code use} returns, and is dropped
     * when it throws, since it may be left broken.
     */
    void lend(Use<T> use) throws SlideFormatException, IOException {
        T item = borrow();
        boolean healthy = false;
        try {
            use.accept(item);
            healthy = true;
        } finally {
            if (healthy) {
                idle.push(item);
            } else {
                discard(item);
            }
        }
    }

    private T borrow() throws SlideFormatException, IOException {
        T item = idle.pollFirst();
        if (item != null) {
            return item;
        }
        T created = factory.create();
        synchronized (this) {
            if (closed) {
                closeQuietly(created);
                throw new IllegalStateException("the slide is closed");
            }
            all.add(created);
        }
        return created;
    }

    private void discard(T item) {
        synchronized (this) {
            all.remove(item);
        }
        closeQuietly(item);
    }

    @Override
    public void close() throws IOException {
        List<T> items;
        synchronized (this) {
            closed = true;
            items = List.copyOf(all);
            all.clear();
            idle.clear();
        }
        IOException failure = null;
        for (T item : items) {
            try {
                item.close();
            } catch (IOException e) {
                failure = e;
            } catch (Exception e) {
                failure = new IOException(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeQuietly(AutoCloseable item) {
        try {
            item.close();
        } catch (Exception e) {
            // Closing a decoder that failed: nothing to recover.
        }
    }
}
