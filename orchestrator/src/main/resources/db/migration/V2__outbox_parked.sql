-- Outbox messages the broker refuses for good (e.g. too large), moved aside so they do not block the rest.
CREATE TABLE outbox_parked (
    id                       bigint      PRIMARY KEY,
    topic                    text        NOT NULL,
    message_key              text        NOT NULL,
    payload                  bytea       NOT NULL,
    created_at               timestamptz NOT NULL,
    parked_at                timestamptz NOT NULL
);
