-- W3C trace context (https://www.w3.org/TR/trace-context/) of what caused a row, so that work done later continues
-- the same trace: the relay sends an outbox row's context as the record's traceparent/tracestate headers, and the
-- dispatcher hangs each slide job of a run under the span that submitted the run (one trace per slide, from the REST
-- submission to the item's terminal state). Null when the cause was not traced.
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
ALTER TABLE outbox_parked ADD COLUMN traceparent text, ADD COLUMN tracestate text;
ALTER TABLE run ADD COLUMN traceparent text, ADD COLUMN tracestate text;
