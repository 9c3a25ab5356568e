-- A removed user keeps their row and subject (their runs and ledger entries name them), yet the same person may be
-- added again and sign in with the same identity-provider account: a subject is unique among active users only.
ALTER TABLE app_user DROP CONSTRAINT app_user_subject_key;
CREATE UNIQUE INDEX app_user_active_subject ON app_user (subject) WHERE removed_at IS NULL;
