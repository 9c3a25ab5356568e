-- GET /v1/runs?custom_metadata=<jsonpath> (docs/benchmarks.md, Orchestrator): the list filters with the @? operator,
-- which this index serves for paths that look for values (== comparisons, existence), so that a selective filter over
-- a user's many runs reads only the matching rows instead of testing every run. Broad filters keep using
-- run_by_submitter, in submitted order, and stop after one page.
CREATE INDEX run_custom_metadata ON run USING gin (custom_metadata jsonb_path_ops);
