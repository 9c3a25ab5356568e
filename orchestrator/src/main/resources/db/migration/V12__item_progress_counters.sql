-- What the worker's heartbeats count, and when the count last moved: an item whose heartbeats keep coming but whose
-- stage, tiles and downloaded bytes stay the same is stuck, and the lease watchdog treats it like a silent one once
-- tessera.orchestrator.item-stall-timeout has passed.
ALTER TABLE item
    ADD COLUMN bytes_done    bigint,
    ADD COLUMN bytes_total   bigint,
    ADD COLUMN progressed_at timestamptz;

CREATE INDEX item_stalls ON item (progressed_at) WHERE state = 'PROCESSING';
