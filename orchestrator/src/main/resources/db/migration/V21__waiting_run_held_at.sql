-- Every run the REST API stores now enters its organization's line and leaves it when the line admits it, moments
-- later; only runs the line has considered and could not admit are held back by a parallel-run limit. held_at tells
-- them apart: null while a run waits for the line's next round, set once a round held it back. The usage API counts
-- only held runs as waiting. Every run in the line before this migration was held back.
ALTER TABLE waiting_run ADD COLUMN held_at timestamptz;
UPDATE waiting_run SET held_at = queued_at;
