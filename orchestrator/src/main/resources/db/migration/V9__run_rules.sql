-- Run rules (docs/organizations.md, Run rules): error thresholds, scheduling, callback context, and the dispatch queue
-- that shares the workers fairly between organizations.

-- A super-admin's override of the application versions' error threshold for one organization; null keeps the
-- version's value.
ALTER TABLE organization
    ADD COLUMN min_failed_items   integer CHECK (min_failed_items >= 0),
    ADD COLUMN max_failed_percent integer CHECK (max_failed_percent BETWEEN 0 AND 100);

ALTER TABLE run
    -- scheduling.due_date orders the organization's waiting items; scheduling.deadline cancels the run if still open.
    -- Stored as sent: a request from Kafka with a due date after its deadline is kept, and rejected, as it came.
    ADD COLUMN due_date               timestamptz,
    ADD COLUMN deadline               timestamptz,
    -- Kept as sent (text): echoed on every run.state-changed.
    ADD COLUMN callback_context_text  text,
    -- max(min_failed_items, ceil(max_failed_percent × items / 100)), fixed at admission; null: never cancelled.
    ADD COLUMN failed_items_threshold integer CHECK (failed_items_threshold >= 0);

-- The attempt whose slide job the dispatcher has put on the outbox; null until the first. An item waits for dispatch
-- while it is PENDING and this differs from its attempt (a lease expiry raises the attempt: the item waits again).
ALTER TABLE item ADD COLUMN dispatched_attempt integer;

-- Items of runs admitted before the dispatcher existed had their jobs fanned out at admission.
UPDATE item SET dispatched_attempt = attempt
WHERE state = 'PENDING' AND run_id IN (SELECT run_id FROM run WHERE state IN ('SCHEDULED', 'RUNNING'));

-- The dispatch queue, read by every dispatch round and by GET /v1/runs/{id} of an open run: the runs with pending
-- items, the items in flight (a few dozen), and a run's waiting items in position order.
CREATE INDEX run_with_pending_items ON run (submitted_at)
    WHERE state IN ('SCHEDULED', 'RUNNING') AND pending_count > 0;
CREATE INDEX item_in_flight ON item (run_id)
    WHERE state = 'PROCESSING' OR (state = 'PENDING' AND dispatched_attempt = attempt);
CREATE INDEX item_waiting ON item (run_id, position)
    WHERE state = 'PENDING' AND dispatched_attempt IS DISTINCT FROM attempt;

-- The deadline watchdog's question: which open runs are past their deadline.
CREATE INDEX run_open_by_deadline ON run (deadline)
    WHERE deadline IS NOT NULL AND state IN ('RECEIVED', 'SCHEDULED', 'RUNNING');
