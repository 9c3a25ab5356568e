-- Items are written 500 at a time by one COPY, and a foreign key checks every row with a query of its own: 500
-- look-ups of the run per submission, a quarter of PostgreSQL's work for the whole COPY. These triggers keep what the
-- key guaranteed with one check per statement:
-- - an item row needs its run: inserting items of a run that does not exist fails with the foreign-key error code
--   (23503), as before;
-- - deleting runs deletes their items (ON DELETE CASCADE before; nothing in the platform deletes runs).
-- What the key did beyond that is not needed here: items are inserted only in the transaction that inserts or locks
-- their run, and no statement changes a run's or an item's run_id.
ALTER TABLE item DROP CONSTRAINT item_run_id_fkey;

CREATE FUNCTION item_run_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    orphan uuid;
BEGIN
    SELECT n.run_id INTO orphan
    FROM new_items n
    WHERE NOT EXISTS (SELECT 1 FROM run r WHERE r.run_id = n.run_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert on table "item" violates the item-run check: run % does not exist', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'item', CONSTRAINT = 'item_run_exists';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER item_run_exists AFTER INSERT ON item
    REFERENCING NEW TABLE AS new_items
    FOR EACH STATEMENT EXECUTE FUNCTION item_run_exists();

CREATE FUNCTION run_items_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM item WHERE run_id IN (SELECT run_id FROM old_runs);
    RETURN NULL;
END
$$;

CREATE TRIGGER run_items_cascade AFTER DELETE ON run
    REFERENCING OLD TABLE AS old_runs
    FOR EACH STATEMENT EXECUTE FUNCTION run_items_cascade();
