-- Background jobs shared by every long-running feature (dev.reelmark.jobs). PostgreSQL flavour;
-- sqlite/V2__jobs.sql is the same design. Timestamps are timestamptz; JSON columns are jsonb.
--
-- claimed_by names the runner (process) that currently owns the row; it is only cleared by that runner or by
-- stale-heartbeat recovery, so a paused or resumed job is never picked up while its old worker is still winding down.

CREATE TABLE jobs (
    id             BIGSERIAL PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (length(kind) > 0),
    status         TEXT NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
    params         JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    state          JSONB,
    result         JSONB,
    error          TEXT,
    progress_done  BIGINT NOT NULL DEFAULT 0 CHECK (progress_done >= 0),
    progress_total BIGINT CHECK (progress_total IS NULL OR progress_total >= 0),
    current_item   TEXT,
    claimed_by     TEXT,
    heartbeat_at   TIMESTAMPTZ,
    attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ
);
-- Claiming scans queued rows in id order.
CREATE INDEX idx_jobs_status ON jobs(status, id);
CREATE INDEX idx_jobs_kind ON jobs(kind, id);
-- Heartbeats and stale-claim recovery look rows up by owner.
CREATE INDEX idx_jobs_claimed_by ON jobs(claimed_by) WHERE claimed_by IS NOT NULL;

-- reelmark_touch_updated_at() is defined in V1.
CREATE TRIGGER jobs_touch_updated_at BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
