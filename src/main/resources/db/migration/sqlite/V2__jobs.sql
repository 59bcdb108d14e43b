-- Background jobs shared by every long-running feature (dev.reelmark.jobs). SQLite flavour;
-- postgresql/V2__jobs.sql is the same design. Timestamps are ISO-8601 UTC text with milliseconds.
--
-- claimed_by names the runner (process) that currently owns the row; it is only cleared by that runner or by
-- stale-heartbeat recovery, so a paused or resumed job is never picked up while its old worker is still winding down.

CREATE TABLE jobs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT NOT NULL CHECK (length(kind) > 0),
    status         TEXT NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
    params         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params) AND json_type(params) = 'object'),
    state          TEXT CHECK (state IS NULL OR json_valid(state)),
    result         TEXT CHECK (result IS NULL OR json_valid(result)),
    error          TEXT,
    progress_done  INTEGER NOT NULL DEFAULT 0 CHECK (progress_done >= 0),
    progress_total INTEGER CHECK (progress_total IS NULL OR progress_total >= 0),
    current_item   TEXT,
    claimed_by     TEXT,
    heartbeat_at   TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    started_at     TEXT,
    finished_at    TEXT
);
-- Claiming scans queued rows in id order.
CREATE INDEX idx_jobs_status ON jobs(status, id);
CREATE INDEX idx_jobs_kind ON jobs(kind, id);
-- Heartbeats and stale-claim recovery look rows up by owner.
CREATE INDEX idx_jobs_claimed_by ON jobs(claimed_by) WHERE claimed_by IS NOT NULL;

CREATE TRIGGER jobs_touch_updated_at AFTER UPDATE ON jobs
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE jobs SET updated_at = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                                     strftime('%Y-%m-%dT%H:%M:%fZ', julianday(OLD.updated_at) + 0.001 / 86400.0))
    WHERE id = NEW.id;
END;
