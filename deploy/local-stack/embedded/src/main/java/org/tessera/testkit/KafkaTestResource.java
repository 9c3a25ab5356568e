package org.tessera.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at a real in-JVM Kafka broker. The broker is shared by every test class in the JVM
 * (started once, stopped at exit) because Quarkus restarts the application between classes with different
 * resources, and a fresh broker each time would cost seconds per class.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker broker;

    /** The shared broker, started on first use. */
    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            broker = KafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-test-broker-stop"));
        }
        return broker;
    }

    @Override
    public Map<String, String> start() {
        return broker().quarkusConfig();
    }

    @Override
    public void stop() {
        // Shared across test classes; stopped by the shutdown hook.
    }
}
