-- Application versions registered from manifests (docs/bring-your-own-model.md). Built-in versions live in
-- catalogue.json; these are added by super-admins or from the configured manifest folder, and never change once
-- registered: a new model is a new version.

CREATE TABLE registered_application_version (
    application_id text        NOT NULL,
    version_number text        NOT NULL,
    -- The manifest as registered, each model with the object-store key it was stored under
    -- (models/<application>/<version>/<sha256>.onnx); the catalogue entry and every slide job are derived from it.
    manifest       jsonb       NOT NULL,
    registered_at  timestamptz NOT NULL,
    -- The super-admin who registered it; null when it came from the manifest folder.
    registered_by  text,
    PRIMARY KEY (application_id, version_number)
);
