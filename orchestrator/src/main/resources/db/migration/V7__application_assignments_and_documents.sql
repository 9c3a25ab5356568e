-- Which application versions each organization may see and run, and the documents published for each version.
-- Free applications (catalogue.json "free": true) are available to every organization without a row here.

CREATE TABLE organization_application_version (
    organization_id text        NOT NULL REFERENCES organization (organization_id) ON DELETE CASCADE,
    application_id  text        NOT NULL,
    version_number  text        NOT NULL,
    assigned_at     timestamptz NOT NULL,
    -- The super-admin who assigned it; null when the configured seed did.
    assigned_by     text,
    -- An unassigned version keeps its row, so that the seed, which only creates what is missing, does not assign
    -- it again at the next start; assigning it again clears these.
    unassigned_at   timestamptz,
    unassigned_by   text,
    PRIMARY KEY (organization_id, application_id, version_number)
);

-- Documents of an application version (user guide, release notes), uploaded to the object store at start.
CREATE TABLE application_version_document (
    document_id    uuid        PRIMARY KEY,
    application_id text        NOT NULL,
    version_number text        NOT NULL,
    name           text        NOT NULL,
    mime_type      text        NOT NULL,
    visibility     text        NOT NULL CHECK (visibility IN ('public', 'internal')),
    object_key     text        NOT NULL,
    -- Of the uploaded bytes: a start that finds the same content changes nothing, so updated_at stays honest.
    sha256         text        NOT NULL,
    size_bytes     bigint      NOT NULL CHECK (size_bytes >= 0),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    UNIQUE (application_id, version_number, name)
);
