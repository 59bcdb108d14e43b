-- Provenance: immutable generation receipts (SQLite flavour; postgresql/V4__provenance.sql is the same design).
-- Receipts reference the exact catalog rows used (asset/image ids of the versions) and copy their version and hash,
-- so a receipt stays true even when the catalog moves on. References to assets/images are NO ACTION: an asset or
-- image version that a receipt used cannot be deleted (the catalog answers 409 "still referenced").
-- Immutability is enforced here, by triggers, not by the application:
--   * no UPDATE of any column except generation_completed_at / generation_duration_ms, each only NULL -> value;
--   * no DELETE while the receipt's segment still exists (so ON DELETE CASCADE from segments keeps working);
--   * receipt_loras rows: no UPDATE at all, no DELETE while their receipt exists, and no INSERT beyond the
--     receipt's lora_count (positions 0..lora_count-1, written with the receipt), so no LoRA can be added later.

CREATE TABLE generation_receipts (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    segment_id              INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    source_image_id         INTEGER REFERENCES images(id),
    source_image_hash       TEXT,
    variant_image_id        INTEGER REFERENCES images(id),
    variant_image_hash      TEXT,
    workflow_asset_id       INTEGER REFERENCES assets(id),
    workflow_name           TEXT,
    workflow_version        TEXT,
    workflow_hash           TEXT,
    model_asset_id          INTEGER REFERENCES assets(id),
    model_name              TEXT NOT NULL,
    model_version           TEXT,
    model_hash              TEXT,
    prompt_text             TEXT NOT NULL,
    negative_prompt         TEXT,
    cfg_scale               REAL NOT NULL,
    seed                    INTEGER NOT NULL,
    resolution_width        INTEGER NOT NULL CHECK (resolution_width > 0),
    resolution_height       INTEGER NOT NULL CHECK (resolution_height > 0),
    steps                   INTEGER NOT NULL CHECK (steps > 0),
    sampler                 TEXT NOT NULL,
    lora_count              INTEGER NOT NULL DEFAULT 0 CHECK (lora_count >= 0 AND lora_count <= 32),
    additional_params       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(additional_params) AND json_type(additional_params) = 'object'),
    inputs_hash             TEXT NOT NULL,
    source                  TEXT NOT NULL DEFAULT 'api',
    generation_started_at   TEXT NOT NULL,
    generation_completed_at TEXT,
    generation_duration_ms  INTEGER CHECK (generation_duration_ms IS NULL OR generation_duration_ms >= 0),
    created_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    -- no updated_at: receipts are write-once
);
-- (segment_id, id): "latest receipt of a segment" is max(id) for one segment_id, an index seek.
CREATE INDEX idx_receipts_segment ON generation_receipts(segment_id, id);
CREATE INDEX idx_receipts_model_asset ON generation_receipts(model_asset_id, id, segment_id);
CREATE INDEX idx_receipts_workflow_asset ON generation_receipts(workflow_asset_id, id, segment_id);
CREATE INDEX idx_receipts_source_image ON generation_receipts(source_image_id);
CREATE INDEX idx_receipts_variant_image ON generation_receipts(variant_image_id);
CREATE INDEX idx_receipts_inputs_hash ON generation_receipts(inputs_hash);
CREATE INDEX idx_receipts_source_image_hash ON generation_receipts(source_image_hash);
CREATE INDEX idx_receipts_model_hash ON generation_receipts(model_hash);

-- One row per LoRA per receipt, so "which segments used this LoRA" is an index lookup, not a JSON scan.
CREATE TABLE receipt_loras (
    receipt_id INTEGER NOT NULL REFERENCES generation_receipts(id) ON DELETE CASCADE,
    -- the receipt's segment, copied (a trigger checks it) so reverse-provenance counts are index-only
    segment_id INTEGER NOT NULL,
    position   INTEGER NOT NULL CHECK (position >= 0),
    asset_id   INTEGER REFERENCES assets(id),
    lora_name  TEXT NOT NULL,
    version    TEXT,
    hash       TEXT,
    weight     REAL NOT NULL CHECK (weight >= -10 AND weight <= 10),
    PRIMARY KEY (receipt_id, position)
);
CREATE INDEX idx_receipt_loras_asset ON receipt_loras(asset_id, receipt_id, segment_id);

CREATE TRIGGER generation_receipts_immutable BEFORE UPDATE ON generation_receipts
FOR EACH ROW WHEN
       NEW.id IS NOT OLD.id OR NEW.segment_id IS NOT OLD.segment_id
    OR NEW.source_image_id IS NOT OLD.source_image_id OR NEW.source_image_hash IS NOT OLD.source_image_hash
    OR NEW.variant_image_id IS NOT OLD.variant_image_id OR NEW.variant_image_hash IS NOT OLD.variant_image_hash
    OR NEW.workflow_asset_id IS NOT OLD.workflow_asset_id OR NEW.workflow_name IS NOT OLD.workflow_name
    OR NEW.workflow_version IS NOT OLD.workflow_version OR NEW.workflow_hash IS NOT OLD.workflow_hash
    OR NEW.model_asset_id IS NOT OLD.model_asset_id OR NEW.model_name IS NOT OLD.model_name
    OR NEW.model_version IS NOT OLD.model_version OR NEW.model_hash IS NOT OLD.model_hash
    OR NEW.prompt_text IS NOT OLD.prompt_text OR NEW.negative_prompt IS NOT OLD.negative_prompt
    OR NEW.cfg_scale IS NOT OLD.cfg_scale OR NEW.seed IS NOT OLD.seed
    OR NEW.resolution_width IS NOT OLD.resolution_width OR NEW.resolution_height IS NOT OLD.resolution_height
    OR NEW.steps IS NOT OLD.steps OR NEW.sampler IS NOT OLD.sampler OR NEW.lora_count IS NOT OLD.lora_count
    OR NEW.additional_params IS NOT OLD.additional_params OR NEW.inputs_hash IS NOT OLD.inputs_hash
    OR NEW.source IS NOT OLD.source OR NEW.generation_started_at IS NOT OLD.generation_started_at
    OR NEW.created_at IS NOT OLD.created_at
    OR (OLD.generation_completed_at IS NOT NULL AND NEW.generation_completed_at IS NOT OLD.generation_completed_at)
    OR (OLD.generation_duration_ms IS NOT NULL AND NEW.generation_duration_ms IS NOT OLD.generation_duration_ms)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: only generation_completed_at and generation_duration_ms may be set, once');
END;

CREATE TRIGGER generation_receipts_no_delete BEFORE DELETE ON generation_receipts
FOR EACH ROW WHEN EXISTS (SELECT 1 FROM segments WHERE id = OLD.segment_id)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: a receipt is deleted only with its segment');
END;

CREATE TRIGGER receipt_loras_segment BEFORE INSERT ON receipt_loras
FOR EACH ROW WHEN NEW.segment_id IS NOT (SELECT segment_id FROM generation_receipts WHERE id = NEW.receipt_id)
    OR NEW.position >= (SELECT lora_count FROM generation_receipts WHERE id = NEW.receipt_id)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: a LoRA row must belong to its receipt''s segment and fit its lora_count');
END;

CREATE TRIGGER receipt_loras_immutable BEFORE UPDATE ON receipt_loras
FOR EACH ROW
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: receipt LoRAs cannot be changed');
END;

CREATE TRIGGER receipt_loras_no_delete BEFORE DELETE ON receipt_loras
FOR EACH ROW WHEN EXISTS (SELECT 1 FROM generation_receipts WHERE id = OLD.receipt_id)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: receipt LoRAs are deleted only with their receipt');
END;

-- Targeted regeneration: the plan for a new segment (the inputs it should be generated with). Reelmark does not run
-- the generator; the draft is what a generator picks up, and its receipt is recorded when it actually runs.
CREATE TABLE regeneration_drafts (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id              INTEGER NOT NULL,
    old_segment_id      INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    new_segment_id      INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    old_receipt_id      INTEGER NOT NULL,
    planned_inputs      TEXT NOT NULL CHECK (json_valid(planned_inputs)),
    planned_inputs_hash TEXT NOT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (job_id, old_segment_id)
);
CREATE INDEX idx_regeneration_drafts_old ON regeneration_drafts(old_segment_id, id);
CREATE INDEX idx_regeneration_drafts_new ON regeneration_drafts(new_segment_id);
