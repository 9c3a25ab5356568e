package org.tessera.orchestrator.common.api;

import java.util.List;
import org.tessera.orchestrator.common.FieldError;

/** Rendered as 422 {@code {"detail": [{"loc", "msg", "type"}, ...]}}. */
public class ValidationFailedException extends RuntimeException {

    private final transient List<FieldError> errors;

    public ValidationFailedException(List<FieldError> errors) {
        super(errors.isEmpty() ? "validation failed" : errors.getFirst().msg());
        this.errors = List.copyOf(errors);
    }

    public static ValidationFailedException of(FieldError error) {
        return new ValidationFailedException(List.of(error));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
