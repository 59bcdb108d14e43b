-- People, roles, API tokens, web sessions and the append-only audit log (dev.reelmark.auth). PostgreSQL flavour;
-- sqlite/V11__auth.sql is the same design. Timestamps are timestamptz; JSON columns are jsonb.
--
-- A role is global (project_id NULL) or for one project. Tokens and sessions are stored as SHA-256 hex of the
-- secret the client holds, never the secret. audit_log is append-only: triggers refuse UPDATE, DELETE and
-- TRUNCATE, and its rows name the actor as text so they outlive a removed user.

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    password_hash TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE user_roles (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'lead', 'pipeline', 'admin')),
    -- no foreign key: a project's deletion must not be blocked by, nor silently widen, a role
    project_id BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
-- one role per user and scope (global or one project)
CREATE UNIQUE INDEX idx_user_roles_scope ON user_roles(user_id, COALESCE(project_id, 0));

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX idx_api_tokens_user ON api_tokens(user_id, id);

CREATE TABLE sessions (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    session_hash TEXT NOT NULL UNIQUE CHECK (length(session_hash) = 64),
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    expires_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ
);
CREATE INDEX idx_sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    actor      TEXT NOT NULL,
    via        TEXT NOT NULL,
    method     TEXT NOT NULL,
    route      TEXT NOT NULL,
    path       TEXT NOT NULL,
    entity     TEXT,
    -- the main id the write touched or created (a receipt, an export, a tag operation), as text
    entity_id  TEXT,
    entity_ids JSONB NOT NULL DEFAULT '{}',
    status     INTEGER NOT NULL,
    summary    JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_audit_actor ON audit_log(actor, id);
CREATE INDEX idx_audit_entity ON audit_log(entity, entity_id, id);
CREATE INDEX idx_audit_at ON audit_log(at);

CREATE FUNCTION reelmark_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: rows cannot be %', lower(TG_OP) || 'd'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION reelmark_audit_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION reelmark_audit_append_only();
