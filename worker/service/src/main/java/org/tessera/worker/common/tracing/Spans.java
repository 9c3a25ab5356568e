package org.tessera.worker.common.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/** The worker's spans: a step of the pipeline as a child of the current span, and how failures are recorded. */
public final class Spans {

    /** Instrumentation scope name of the worker's spans. */
    public static final String SCOPE = "org.tessera.worker";

    /** The tracer of code given none (tests, benchmarks): records nothing. */
    public static final Tracer NONE = OpenTelemetry.noop().getTracer(SCOPE);

    private Spans() {}

    /**
     * Starts a step: a span beneath the current one, itself current on this thread until {@link Step#end()}, so that
     * steps within nest beneath it. Use as {@code try { ... } catch (Exception | Error e) { step.fail(e); throw e; }
     * finally { step.end(); }}.
     */
    public static Step start(Tracer tracer, String name) {
        Span span = tracer.spanBuilder(name).startSpan();
        return new Step(span, span.makeCurrent());
    }

    /** Records a failure on a span: the exception as an event, and an error status with its message. */
    public static void failed(Span span, Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
    }

    /** A started step. */
    public static final class Step {
        private final Span span;
        private final Scope scope;

        private Step(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        /** The step's span, to add what the step learns (bytes, tiles) as attributes. */
        public Span span() {
            return span;
        }

        public void fail(Throwable error) {
            failed(span, error);
        }

        /** Leaves the step's scope and ends its span; call on the thread that started it. */
        public void end() {
            scope.close();
            span.end();
        }
    }
}
