package org.tessera.worker.common;

/** Where the pipeline reports what it is doing; the heartbeat publishes the latest state. Thread-safe. */
public interface ProgressSink {

    /** A new stage begins (its tile counts start at 0 of unknown). */
    void stage(Stage stage);

    /** Progress within the current stage. */
    void tiles(long done, long total);

    /** Bytes of the input downloaded so far, and its length when known (0 while unknown). */
    default void bytes(long done, long total) {}

    ProgressSink NONE = new ProgressSink() {
        @Override
        public void stage(Stage stage) {}

        @Override
        public void tiles(long done, long total) {}
    };

    /** Stages of one item, in order; the names travel in {@code ItemProgress.stage}. */
    enum Stage {
        DOWNLOADING,
        READING,
        TISSUE_DETECTION,
        WRITING_OUTPUTS,
        UPLOADING
    }
}
