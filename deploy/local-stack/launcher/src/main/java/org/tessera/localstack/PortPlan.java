package org.tessera.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loopback ports of the stack's services. Zero means "any free port", which tests and the demo use; a long-lived
 * stack gets fixed ports from a base so that its URLs stay the same between starts.
 */
public record PortPlan(
        int orchestrator,
        int worker,
        int objectStore,
        int access,
        int kafka,
        int kafkaController,
        int postgres,
        int orchestratorManagement,
        int workerManagement) {

    public static final int DEFAULT_BASE = 8180;

    /** Every service on a port of its own, found free at start. */
    public static PortPlan anyFree() {
        return new PortPlan(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Consecutive ports from {@code base}: orchestrator, worker, object store, access, Kafka, controller, PostgreSQL,
     * then the management ports (health, metrics) of orchestrator and worker.
     */
    public static PortPlan fromBase(int base) {
        if (base < 1024 || base + 8 > 65535) {
            throw new IllegalArgumentException("--port-base must be between 1024 and 65527, was " + base);
        }
        return new PortPlan(base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, base + 7, base + 8);
    }

    /** Replaces every zero with a free port and checks that the fixed ones are free, naming any that is taken. */
    public PortPlan resolve() {
        Map<String, Integer> ports = asMap();
        Map<String, Integer> resolved = new LinkedHashMap<>();
        ports.forEach((purpose, port) -> {
            if (port == 0) {
                int free;
                do {
                    free = Ports.free();
                } while (resolved.containsValue(free));
                resolved.put(purpose, free);
            } else {
                Ports.requireFree(port, purpose);
                resolved.put(purpose, port);
            }
        });
        return new PortPlan(
                resolved.get("orchestrator"),
                resolved.get("worker"),
                resolved.get("object store"),
                resolved.get("access"),
                resolved.get("kafka"),
                resolved.get("kafka controller"),
                resolved.get("postgres"),
                resolved.get("orchestrator management"),
                resolved.get("worker management"));
    }

    public Map<String, Integer> asMap() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("orchestrator", orchestrator);
        ports.put("worker", worker);
        ports.put("object store", objectStore);
        ports.put("access", access);
        ports.put("kafka", kafka);
        ports.put("kafka controller", kafkaController);
        ports.put("postgres", postgres);
        ports.put("orchestrator management", orchestratorManagement);
        ports.put("worker management", workerManagement);
        return ports;
    }
}
