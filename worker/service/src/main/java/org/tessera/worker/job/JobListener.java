package org.tessera.worker.job;

import java.time.Duration;
import org.tessera.worker.common.ItemFailure;

/** Observes finished items (metrics). */
public interface JobListener {

    void succeeded(String applicationId, Duration took);

    void failed(String applicationId, ItemFailure failure, Duration took);

    JobListener NONE = new JobListener() {
        @Override
        public void succeeded(String applicationId, Duration took) {}

        @Override
        public void failed(String applicationId, ItemFailure failure, Duration took) {}
    };
}
