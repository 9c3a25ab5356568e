-- Results and sharing (docs/organizations.md, "Results" and "Sharing"): when a run's outputs were deleted, viewer
-- grants on runs, and share tokens.

-- Set once the run's output files are gone (by its owner or by the retention job), so that a second deletion answers
-- 410 even for a run that never had outputs, and the retention job skips runs it has already handled.
ALTER TABLE run
    ADD COLUMN outputs_deleted_at timestamptz,
    ADD COLUMN outputs_deleted    text CHECK (outputs_deleted IN ('DELETED_BY_USER', 'DELETED_BY_SYSTEM'));

-- What the retention job looks for: terminated runs whose outputs still exist, oldest first.
CREATE INDEX run_outputs_to_expire ON run (terminated_at)
    WHERE terminated_at IS NOT NULL AND outputs_deleted_at IS NULL;

-- A share token is a bearer secret handed out once; only its SHA-256 is kept, so a database leak reveals no token.
CREATE TABLE share_token (
    share_token_id  uuid        PRIMARY KEY,
    secret_sha256   text        NOT NULL UNIQUE,
    created_by      text        NOT NULL,
    organization_id text        NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz,
    revoked_at      timestamptz,
    revoked_by      text
);
CREATE INDEX share_token_by_creator ON share_token (created_by, created_at DESC);

-- A relation between a subject (user, the users or admins of an organization, a share token) and a resource.
-- Grants are never deleted: revoking sets revoked_at, and a revoked grant grants nothing.
CREATE TABLE access_grant (
    grant_id        uuid        PRIMARY KEY,
    resource_type   text        NOT NULL CHECK (resource_type IN ('run', 'item', 'output_artifact', 'share_token')),
    resource_id     uuid        NOT NULL,
    -- The resource's submitter and organization: who sees the grant in GET /v1/access/grants.
    resource_owner  text        NOT NULL,
    organization_id text        NOT NULL,
    subject_type    text        NOT NULL
        CHECK (subject_type IN ('user', 'organization_admin', 'organization_user', 'share_token')),
    -- A user id, an organization id or a share token id, by subject_type.
    subject_id      text        NOT NULL,
    relation        text        NOT NULL CHECK (relation IN ('owner', 'editor', 'viewer')),
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoked_by      text
);
-- One active grant per resource, subject and relation: granting again returns the grant that exists.
CREATE UNIQUE INDEX access_grant_active
    ON access_grant (resource_type, resource_id, subject_type, subject_id, relation) WHERE revoked_at IS NULL;
-- Every read of a run asks "does this subject hold an active grant on it?".
CREATE INDEX access_grant_by_subject ON access_grant (subject_type, subject_id) WHERE revoked_at IS NULL;
CREATE INDEX access_grant_by_owner ON access_grant (resource_owner, created_at DESC);
CREATE INDEX access_grant_by_organization ON access_grant (organization_id, created_at DESC);
