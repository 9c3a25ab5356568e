-- Large outbox payloads (run requests: 150-350 KiB of JSON for 500 items) are stored as one LZ4 block, compressed by
-- the orchestrator, about a sixth of the bytes that the database stores, logs, reads back and deletes (see
-- OutboxSettings.compressFromBytes and StoredPayload). This is their size before compression; NULL for a payload
-- stored as it is, which every row written before this migration is. The relay sends the expanded payload, so what
-- reaches Kafka does not change. Parked rows keep their encoding.
ALTER TABLE outbox ADD COLUMN payload_lz4_size integer CHECK (payload_lz4_size > 0);
ALTER TABLE outbox_parked ADD COLUMN payload_lz4_size integer CHECK (payload_lz4_size > 0);
