-- Organizations, their email domains and users: who may call the platform, and as what. The token names the user
-- (sub); everything else about them is read from here.

CREATE TABLE organization (
    organization_id               text        PRIMARY KEY,
    name                          text        NOT NULL,
    display_name                  text,
    -- Whether tokens of its users must prove a second factor (amr); on unless an operator turns it off.
    require_mfa                   boolean     NOT NULL DEFAULT true,
    -- The bucket its users upload slides to, as GET /v1/me shows it.
    bucket_name                   text,
    bucket_protocol               text,
    bucket_hmac_access_key_id     text,
    bucket_hmac_secret_access_key text,
    -- Limits set by a super-admin; null means unlimited.
    max_users                     integer     CHECK (max_users >= 0),
    monthly_wsi_limit             integer     CHECK (monthly_wsi_limit >= 0),
    max_wsis_per_run              integer     CHECK (max_wsis_per_run >= 1),
    max_parallel_runs             integer     CHECK (max_parallel_runs >= 1),
    created_at                    timestamptz NOT NULL,
    updated_at                    timestamptz NOT NULL
);

-- A domain belongs to one organization: an email address names its organization.
CREATE TABLE organization_domain (
    domain          text PRIMARY KEY,
    organization_id text NOT NULL REFERENCES organization (organization_id) ON DELETE CASCADE
);
CREATE INDEX organization_domain_by_organization ON organization_domain (organization_id);

CREATE TABLE app_user (
    user_id           text        PRIMARY KEY,
    organization_id   text        NOT NULL REFERENCES organization (organization_id),
    -- The identity provider's sub, bound when known or at the user's first sign-in (by verified email).
    subject           text        UNIQUE,
    email             text        NOT NULL,
    role              text        NOT NULL CHECK (role IN ('SUPER_ADMIN', 'ADMIN', 'MEMBER')),
    name              text,
    given_name        text,
    family_name       text,
    -- Limits set by an admin of the organization; null means only the organization's limits apply.
    monthly_wsi_limit integer     CHECK (monthly_wsi_limit >= 0),
    max_parallel_runs integer     CHECK (max_parallel_runs >= 1),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    -- Removed users keep their row (runs and ledger entries name them) but can no longer sign in.
    removed_at        timestamptz
);
CREATE UNIQUE INDEX app_user_active_email ON app_user (lower(email)) WHERE removed_at IS NULL;
CREATE INDEX app_user_by_organization ON app_user (organization_id, created_at);

CREATE INDEX run_by_organization ON run (organization_id, submitted_at DESC, run_id);
