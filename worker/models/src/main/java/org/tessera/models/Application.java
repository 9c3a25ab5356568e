package org.tessera.models;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The applications this release serves: the versions of each that have models, and the tasks each runs, in the order
 * their outputs are written. The one place that says what an application does; {@link ModelRegistry} assigns models
 * from it and the worker runs its tasks.
 */
public enum Application {
    TEST_APP("test-app", List.of("1.0.0", "1.1.0"), List.of(Task.TISSUE_QC, Task.TISSUE_SEGMENTATION)),
    HE_TME(
            "he-tme",
            List.of("1.0.0"),
            List.of(Task.TISSUE_QC, Task.TISSUE_SEGMENTATION, Task.CELL_CLASSIFICATION, Task.READOUT_GENERATION));

    private final String id;
    private final List<String> versions;
    private final List<Task> tasks;

    Application(String id, List<String> versions, List<Task> tasks) {
        this.id = id;
        this.versions = versions;
        this.tasks = tasks;
    }

    /** The application id of slide jobs, e.g. {@code he-tme}. */
    public String id() {
        return id;
    }

    public List<String> versions() {
        return versions;
    }

    public List<Task> tasks() {
        return tasks;
    }

    public boolean runs(Task task) {
        return tasks.contains(task);
    }

    public static Optional<Application> byId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }

    /** The ids of all applications, e.g. for metrics that should show zeros before the first item. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Application::id).toList();
    }
}
