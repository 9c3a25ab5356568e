-- Runs, their items and output artifacts; the transactional outbox; and the consumers' record of processed events.

CREATE TABLE run (
    run_id                   uuid        PRIMARY KEY,
    application_id           text        NOT NULL,
    version_number           text        NOT NULL,
    -- Lifecycle state (contracts RunState); the API state is projected from it.
    state                    text        NOT NULL,
    error_code               text,
    error_message            text,
    -- Kept twice: jsonb for SQL/JSON path filters and sorting, text to give back exactly what was sent.
    custom_metadata          jsonb,
    custom_metadata_text     text,
    custom_metadata_checksum text,
    organization_id          text,
    submitted_by             text        NOT NULL,
    submitted_at             timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    terminated_at            timestamptz,
    item_count               integer     NOT NULL,
    pending_count            integer     NOT NULL,
    processing_count         integer     NOT NULL DEFAULT 0,
    succeeded_count          integer     NOT NULL DEFAULT 0,
    user_error_count         integer     NOT NULL DEFAULT 0,
    system_error_count       integer     NOT NULL DEFAULT 0,
    skipped_count            integer     NOT NULL DEFAULT 0,
    CONSTRAINT run_counts_add_up CHECK (pending_count + processing_count + succeeded_count + user_error_count
        + system_error_count + skipped_count = item_count)
);

-- Every list query is scoped to the caller.
CREATE INDEX run_by_submitter ON run (submitted_by, submitted_at DESC, run_id);

CREATE TABLE item (
    item_id                  uuid        PRIMARY KEY,
    run_id                   uuid        NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    -- Position in the submitted list: the default order of GET /v1/runs/{id}/items.
    position                 integer     NOT NULL,
    external_id              text        NOT NULL,
    custom_metadata          jsonb,
    custom_metadata_text     text,
    custom_metadata_checksum text,
    -- [{input_artifact_id, name, download_url, metadata}], in submitted order.
    input_artifacts          jsonb       NOT NULL,
    state                    text        NOT NULL,
    attempt                  integer     NOT NULL DEFAULT 1,
    error_code               text,
    error_message            text,
    worker_id                text,
    progress_stage           text,
    tiles_done               bigint,
    tiles_total              bigint,
    -- Last word from a worker about this item: the lease the watchdog checks.
    last_event_at            timestamptz,
    started_at               timestamptz,
    terminated_at            timestamptz,
    updated_at               timestamptz NOT NULL,
    CONSTRAINT item_external_id_unique UNIQUE (run_id, external_id),
    CONSTRAINT item_position_unique UNIQUE (run_id, position)
);

CREATE INDEX item_leases ON item (last_event_at) WHERE state = 'PROCESSING';

CREATE TABLE output_artifact (
    output_artifact_id       uuid        PRIMARY KEY,
    run_id                   uuid        NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    item_id                  uuid        NOT NULL REFERENCES item (item_id) ON DELETE CASCADE,
    position                 integer     NOT NULL,
    name                     text        NOT NULL,
    object_key               text        NOT NULL,
    media_type               text        NOT NULL,
    size_bytes               bigint      NOT NULL,
    checksum_base64_crc32c   text        NOT NULL,
    -- API ArtifactOutput: AVAILABLE, DELETED_BY_USER, DELETED_BY_SYSTEM.
    output                   text        NOT NULL,
    created_at               timestamptz NOT NULL,
    CONSTRAINT output_artifact_name_unique UNIQUE (item_id, name)
);

CREATE INDEX output_artifact_by_run ON output_artifact (run_id);

-- Consumers record each event id here in the same transaction as the change it caused, so redelivery is a no-op.
CREATE TABLE processed_event (
    event_id                 uuid        PRIMARY KEY,
    processed_at             timestamptz NOT NULL
);

CREATE INDEX processed_event_age ON processed_event (processed_at);

-- Messages written in the same transaction as the state change that caused them; the relay publishes and deletes.
CREATE TABLE outbox (
    id                       bigserial   PRIMARY KEY,
    topic                    text        NOT NULL,
    message_key              text        NOT NULL,
    payload                  bytea       NOT NULL,
    created_at               timestamptz NOT NULL
);
