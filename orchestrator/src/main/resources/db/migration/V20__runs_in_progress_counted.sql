-- The parallel-run limits' count of runs in progress (admitted, not yet terminal), kept per organization and user by
-- triggers on run instead of counted at every admission: counting scanned every run in progress of the organization,
-- which made each admission slower the longer the platform's backlog, and was done under the organization's lock.
-- Runs without an organization (produced onto Kafka by another service, rejected at admission) are not counted.
CREATE TABLE runs_in_progress (
    organization_id text    NOT NULL,
    submitted_by    text    NOT NULL,
    runs            integer NOT NULL,
    PRIMARY KEY (organization_id, submitted_by)
);

CREATE FUNCTION count_runs_in_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.organization_id IS NOT NULL AND OLD.state IN ('SCHEDULED', 'RUNNING') THEN
        UPDATE runs_in_progress SET runs = greatest(runs - 1, 0)
        WHERE organization_id = OLD.organization_id AND submitted_by = OLD.submitted_by;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.organization_id IS NOT NULL AND NEW.state IN ('SCHEDULED', 'RUNNING') THEN
        INSERT INTO runs_in_progress (organization_id, submitted_by, runs)
        VALUES (NEW.organization_id, NEW.submitted_by, 1)
        ON CONFLICT (organization_id, submitted_by) DO UPDATE SET runs = runs_in_progress.runs + 1;
    END IF;
    RETURN NULL;
END
$$;

-- Only the statements that move a run into or out of progress call the function: most updates of a run (its item
-- counts, once per batch of item events) leave its state alone, and the WHEN clauses cost next to nothing.
CREATE TRIGGER run_enters_progress AFTER INSERT ON run
    FOR EACH ROW WHEN (NEW.state IN ('SCHEDULED', 'RUNNING')) EXECUTE FUNCTION count_runs_in_progress();
CREATE TRIGGER run_changes_progress AFTER UPDATE OF state, organization_id, submitted_by ON run
    FOR EACH ROW WHEN ((OLD.state IN ('SCHEDULED', 'RUNNING')) IS DISTINCT FROM (NEW.state IN ('SCHEDULED', 'RUNNING'))
        OR OLD.organization_id IS DISTINCT FROM NEW.organization_id OR OLD.submitted_by IS DISTINCT FROM NEW.submitted_by)
    EXECUTE FUNCTION count_runs_in_progress();
CREATE TRIGGER run_leaves_progress AFTER DELETE ON run
    FOR EACH ROW WHEN (OLD.state IN ('SCHEDULED', 'RUNNING')) EXECUTE FUNCTION count_runs_in_progress();

-- The runs already in progress. The triggers above hold their lock on run until this migration commits, so no run
-- changes state between the count and the first trigger call.
INSERT INTO runs_in_progress (organization_id, submitted_by, runs)
SELECT organization_id, submitted_by, count(*) FROM run
WHERE organization_id IS NOT NULL AND state IN ('SCHEDULED', 'RUNNING')
GROUP BY organization_id, submitted_by;

-- Nothing else asks for an organization's runs in progress.
DROP INDEX run_in_progress;
