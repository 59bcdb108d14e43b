-- People, roles, API tokens, web sessions and the append-only audit log (dev.reelmark.auth). SQLite flavour;
-- postgresql/V11__auth.sql is the same design. Timestamps are ISO-8601 UTC text with milliseconds.
--
-- A role is global (project_id NULL) or for one project. Tokens and sessions are stored as SHA-256 hex of the
-- secret the client holds, never the secret. audit_log is append-only: triggers refuse UPDATE and DELETE, and its
-- rows name the actor as text so they outlive a removed user.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    password_hash TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE user_roles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'lead', 'pipeline', 'admin')),
    -- no foreign key: a project's deletion must not be blocked by, nor silently widen, a role
    project_id INTEGER,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- one role per user and scope (global or one project)
CREATE UNIQUE INDEX idx_user_roles_scope ON user_roles(user_id, COALESCE(project_id, 0));

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT
);
CREATE INDEX idx_api_tokens_user ON api_tokens(user_id, id);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    session_hash TEXT NOT NULL UNIQUE CHECK (length(session_hash) = 64),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT
);
CREATE INDEX idx_sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor      TEXT NOT NULL,
    via        TEXT NOT NULL,
    method     TEXT NOT NULL,
    route      TEXT NOT NULL,
    path       TEXT NOT NULL,
    entity     TEXT,
    -- the main id the write touched or created (a receipt, an export, a tag operation), as text
    entity_id  TEXT,
    entity_ids TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(entity_ids)),
    status     INTEGER NOT NULL,
    summary    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary))
);
CREATE INDEX idx_audit_actor ON audit_log(actor, id);
CREATE INDEX idx_audit_entity ON audit_log(entity, entity_id, id);
CREATE INDEX idx_audit_at ON audit_log(at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be updated');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be deleted');
END;
