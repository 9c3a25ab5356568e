package org.tessera.orchestrator.application.manifest;

import java.util.List;
import java.util.stream.Collectors;
import org.tessera.orchestrator.common.FieldError;

/** A manifest, or a model it names, that cannot be registered; each reason names the field or file at fault. */
public class ManifestRefusedException extends Exception {

    /** Reason types, stable for scripts (the API's {@code detail[].type}). */
    public static final String JSON_SCHEMA = "json_schema";

    public static final String NOT_JSON = "json_invalid";
    public static final String CHECKSUM_MISMATCH = "checksum_mismatch";
    public static final String MISSING_MODEL_FILE = "missing_model_file";
    public static final String MODEL_UNREADABLE = "model_unreadable";
    public static final String INPUT_MISMATCH = "input_mismatch";
    public static final String OUTPUT_MISMATCH = "output_mismatch";
    public static final String CLASS_COUNT_MISMATCH = "class_count_mismatch";
    public static final String UNKNOWN_OUTPUT_KIND = "unknown_output_kind";
    public static final String ARTIFACT_DOES_NOT_FIT = "artifact_does_not_fit";
    public static final String INCONSISTENT = "manifest_inconsistent";
    public static final String BUILT_IN_APPLICATION = "built_in_application";

    /**
     * One reason.
     *
     * @param path where in the manifest, e.g. {@code ["tasks", 0, "model", "sha256"]}
     * @param type one of the constants of this class
     * @param message what is wrong, naming the values that disagree
     */
    public record Reason(List<Object> path, String type, String message) {
        public Reason {
            path = List.copyOf(path);
        }

        /** The field as authors write it, then the message: {@code tasks[0].model.sha256: ...}. */
        @Override
        public String toString() {
            FieldError error = FieldError.body(path, type, message);
            return error.msg();
        }
    }

    private final transient List<Reason> reasons;

    public ManifestRefusedException(List<Reason> reasons) {
        super(reasons.stream().map(Reason::toString).collect(Collectors.joining("; ")));
        this.reasons = List.copyOf(reasons);
    }

    public static ManifestRefusedException of(List<Object> path, String type, String message) {
        return new ManifestRefusedException(List.of(new Reason(path, type, message)));
    }

    public List<Reason> reasons() {
        return reasons;
    }

    /** The reasons in the API's validation error shape, below {@code ["body", "manifest"]}. */
    public List<FieldError> fieldErrors() {
        return reasons.stream()
                .map(r -> {
                    List<Object> path = new java.util.ArrayList<>();
                    path.add("manifest");
                    path.addAll(r.path());
                    return FieldError.body(path, r.type(), r.message());
                })
                .toList();
    }
}
