-- VFX sidecar templates and training-dataset exports (dev.reelmark.sidecar, dev.reelmark.dataset). PostgreSQL
-- flavour; sqlite/V5__sidecar_dataset.sql is the same design. Timestamps are timestamptz; JSON columns are jsonb.

CREATE TABLE sidecar_templates (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    description   TEXT,
    format        TEXT NOT NULL CHECK (format IN ('xml', 'csv', 'clip_csv', 'ale', 'otio', 'nk')),
    target_tool   TEXT,
    template_json JSONB NOT NULL CHECK (jsonb_typeof(template_json) = 'object'),
    is_builtin    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE dataset_exports (
    id              BIGSERIAL PRIMARY KEY,
    project_id      BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (length(name) > 0),
    config_json     JSONB NOT NULL CHECK (jsonb_typeof(config_json) = 'object'),
    manifest_json   JSONB,
    file_path       TEXT,
    file_size_bytes BIGINT CHECK (file_size_bytes IS NULL OR file_size_bytes >= 0),
    sample_count    INTEGER CHECK (sample_count IS NULL OR sample_count >= 0),
    failed_count    INTEGER CHECK (failed_count IS NULL OR failed_count >= 0),
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    job_id          BIGINT REFERENCES jobs(id) ON DELETE SET NULL,
    error           TEXT,
    completed_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_dataset_exports_project ON dataset_exports(project_id, id);
CREATE INDEX idx_dataset_exports_job ON dataset_exports(job_id);

-- reelmark_touch_updated_at() is defined in V1.
CREATE TRIGGER sidecar_templates_touch_updated_at BEFORE UPDATE ON sidecar_templates FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();
CREATE TRIGGER dataset_exports_touch_updated_at BEFORE UPDATE ON dataset_exports FOR EACH ROW EXECUTE FUNCTION reelmark_touch_updated_at();

-- Built-in templates (is_builtin: the API refuses to change or delete them).
INSERT INTO sidecar_templates (name, description, format, target_tool, template_json, is_builtin) VALUES
    ('Nuke XML', 'Foundry Nuke compatible XML sidecar (video.mp4 -> video.xml); Nuke reads it only through a script, see the Nuke Read Nodes template', 'xml', 'nuke',
     '{"root_element": "clip", "fields": ["resolution", "framerate", "codec", "duration", "color_space", "generation_params"]}', TRUE),
    ('After Effects CSV', 'Adobe After Effects frame-level CSV (video.mp4 -> video.csv), one row per frame', 'csv', 'after_effects',
     '{"columns": ["frame", "face_confidence", "motion_score", "quality_metric", "boundary_ssim"]}', TRUE),
    ('Resolve XML', 'DaVinci Resolve oriented XML sidecar (video.mp4 -> video.xml)', 'xml', 'resolve',
     '{"root_element": "media", "fields": ["resolution", "framerate", "codec", "duration", "pixel_format"]}', TRUE),
    ('DaVinci Resolve Metadata CSV', 'One row per clip for Media Pool > Import Metadata (matched by File Name and Clip Directory)', 'clip_csv', 'resolve',
     '{"columns": [{"header": "File Name", "field": "file_name"}, {"header": "Clip Directory", "field": "clip_directory"}, {"header": "Description", "field": "prompt"}, {"header": "Scene", "field": "scene"}, {"header": "Take", "field": "sequence_index"}, {"header": "Keywords", "field": "failure_tags"}, {"header": "Comments", "field": "quality_summary"}]}', TRUE),
    ('Avid ALE', 'Avid Log Exchange, one clip per line, for Media Composer Import (one file per frame rate)', 'ale', 'avid',
     '{"columns": [{"header": "Name", "field": "clip_name"}, {"header": "Tracks", "field": "tracks"}, {"header": "Start", "field": "start_tc"}, {"header": "End", "field": "end_tc"}, {"header": "Source File", "field": "file_name"}, {"header": "Scene", "field": "scene"}, {"header": "Take", "field": "sequence_index"}, {"header": "Comments", "field": "prompt"}, {"header": "Quality", "field": "quality_score"}]}', TRUE),
    ('OpenTimelineIO Timeline', 'One .otio timeline per scene, its segments in order, metadata under metadata.reelmark', 'otio', 'opentimelineio',
     '{"fields": ["resolution", "framerate", "codec", "duration", "color_space", "pixel_format", "prompt", "lora_weights", "quality_score", "failure_tags", "generation_params"]}', TRUE),
    ('Nuke Read Nodes', 'A .nk script with one Read node per clip; the metadata sits on a Reelmark tab of each node', 'nk', 'nuke',
     '{"fields": ["resolution", "framerate", "codec", "duration", "color_space", "prompt", "seed", "lora_weights", "quality_score", "failure_tags"]}', TRUE);
