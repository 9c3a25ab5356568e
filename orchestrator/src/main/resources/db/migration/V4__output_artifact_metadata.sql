-- What the worker says about an output beyond checksum, media type and size (map width/height/mpp, class colours).
-- Served merged into the artifact's metadata; null for outputs reported before workers sent it.
ALTER TABLE output_artifact ADD COLUMN extra_metadata json;
