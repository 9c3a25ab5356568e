-- Input artifacts are only ever read back whole; json (unlike jsonb) keeps the client's key order.
ALTER TABLE item ALTER COLUMN input_artifacts TYPE json USING input_artifacts::text::json;
