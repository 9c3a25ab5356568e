-- Quotas, parallel-run limits and the cost ledger (docs/organizations.md, Quotas and limits; Cost).

-- WSIs counted against the monthly quotas, per organization, user and calendar month (UTC, 'YYYY-MM'). A run's WSIs
-- count in the month it was submitted, from the moment it is accepted; the WSIs it never processed (all of a
-- rejected run, the skipped items of a cancelled one) are subtracted when it ends. Written in the same transaction as
-- the submission, admission or run ending that changes it, so the quota check reads one row per user.
CREATE TABLE wsi_usage (
    organization_id text    NOT NULL,
    user_id         text    NOT NULL,
    month           text    NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    wsis            integer NOT NULL CHECK (wsis >= 0),
    PRIMARY KEY (organization_id, month, user_id)
);

-- What each accepted run counts against wsi_usage: reserved at acceptance, given back once when it ends. Runs that
-- were refused for a quota have none, so nothing is given back for them.
CREATE TABLE wsi_reservation (
    run_id          uuid        PRIMARY KEY REFERENCES run (run_id),
    organization_id text        NOT NULL,
    user_id         text        NOT NULL,
    month           text        NOT NULL,
    reserved_wsis   integer     NOT NULL CHECK (reserved_wsis >= 0),
    returned_wsis   integer     NOT NULL DEFAULT 0,
    reserved_at     timestamptz NOT NULL,
    returned_at     timestamptz,
    CONSTRAINT wsi_reservation_returns_at_most_reserved CHECK (returned_wsis BETWEEN 0 AND reserved_wsis)
);

-- Runs admission accepted but holds back (API PENDING, lifecycle RECEIVED) because their organization or user has as
-- many runs in progress as its parallel-run limit allows; admitted oldest first when a run of theirs ends.
CREATE TABLE waiting_run (
    run_id          uuid        PRIMARY KEY REFERENCES run (run_id),
    organization_id text        NOT NULL,
    submitted_by    text        NOT NULL,
    submitted_at    timestamptz NOT NULL,
    queued_at       timestamptz NOT NULL
);
CREATE INDEX waiting_run_in_turn ON waiting_run (organization_id, submitted_at, run_id);

-- Runs in progress (admitted, not yet terminal) count against the parallel-run limits.
CREATE INDEX run_in_progress ON run (organization_id, submitted_by) WHERE state IN ('SCHEDULED', 'RUNNING');

-- Prices per WSI set by a super-admin, in millionths of the platform's currency (tessera.billing.currency). A version
-- without a row costs what the catalogue says (price_per_wsi), or nothing.
CREATE TABLE application_version_price (
    application_id       text        NOT NULL,
    version_number       text        NOT NULL,
    price_per_wsi_micros bigint      NOT NULL CHECK (price_per_wsi_micros >= 0),
    updated_at           timestamptz NOT NULL,
    updated_by           text        NOT NULL,
    PRIMARY KEY (application_id, version_number)
);

-- One entry per succeeded item, written in the transaction that records the success and published on
-- tessera.ledger.v1. The entry id derives from the item id and the item is unique, so an item is charged once however
-- often its success is reported.
CREATE TABLE ledger_entry (
    entry_id             uuid        PRIMARY KEY,
    item_id              uuid        NOT NULL,
    run_id               uuid        NOT NULL,
    organization_id      text        NOT NULL,
    user_id              text        NOT NULL,
    application_id       text        NOT NULL,
    version_number       text        NOT NULL,
    wsis                 integer     NOT NULL CHECK (wsis >= 0),
    price_per_wsi_micros bigint      NOT NULL CHECK (price_per_wsi_micros >= 0),
    amount_micros        bigint      NOT NULL CHECK (amount_micros >= 0),
    currency             text        NOT NULL,
    charged_at           timestamptz NOT NULL,
    CONSTRAINT ledger_entry_one_per_item UNIQUE (item_id)
);
CREATE INDEX ledger_entry_by_organization ON ledger_entry (organization_id, charged_at);

-- A billing service that replayed tessera.ledger.v1 holds copies of the entries: they must never change underneath it.
CREATE FUNCTION ledger_entry_never_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entry % is never changed or deleted once written', OLD.entry_id;
END
$$;
CREATE TRIGGER ledger_entry_immutable BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_never_changes();
