-- Provenance: immutable generation receipts (PostgreSQL flavour; sqlite/V4__provenance.sql is the same design).
-- Receipts reference the exact catalog rows used (asset/image ids of the versions) and copy their version and hash.
-- References to assets/images are NO ACTION: an asset or image version a receipt used cannot be deleted (409).
-- Immutability is enforced by triggers: no UPDATE except generation_completed_at / generation_duration_ms, each
-- only NULL -> value; no DELETE while the receipt's segment exists (the cascade from segments still works);
-- receipt_loras rows: no UPDATE, no DELETE while their receipt exists, no INSERT beyond the receipt's lora_count.

CREATE TABLE generation_receipts (
    id                      BIGSERIAL PRIMARY KEY,
    segment_id              BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    source_image_id         BIGINT REFERENCES images(id),
    source_image_hash       TEXT,
    variant_image_id        BIGINT REFERENCES images(id),
    variant_image_hash      TEXT,
    workflow_asset_id       BIGINT REFERENCES assets(id),
    workflow_name           TEXT,
    workflow_version        TEXT,
    workflow_hash           TEXT,
    model_asset_id          BIGINT REFERENCES assets(id),
    model_name              TEXT NOT NULL,
    model_version           TEXT,
    model_hash              TEXT,
    prompt_text             TEXT NOT NULL,
    negative_prompt         TEXT,
    cfg_scale               DOUBLE PRECISION NOT NULL,
    seed                    BIGINT NOT NULL,
    resolution_width        INTEGER NOT NULL CHECK (resolution_width > 0),
    resolution_height       INTEGER NOT NULL CHECK (resolution_height > 0),
    steps                   INTEGER NOT NULL CHECK (steps > 0),
    sampler                 TEXT NOT NULL,
    lora_count              INTEGER NOT NULL DEFAULT 0 CHECK (lora_count >= 0 AND lora_count <= 32),
    additional_params       JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(additional_params) = 'object'),
    inputs_hash             TEXT NOT NULL,
    source                  TEXT NOT NULL DEFAULT 'api',
    generation_started_at   TIMESTAMPTZ NOT NULL,
    generation_completed_at TIMESTAMPTZ,
    generation_duration_ms  BIGINT CHECK (generation_duration_ms IS NULL OR generation_duration_ms >= 0),
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_receipts_segment ON generation_receipts(segment_id, id);
CREATE INDEX idx_receipts_model_asset ON generation_receipts(model_asset_id, id, segment_id);
CREATE INDEX idx_receipts_workflow_asset ON generation_receipts(workflow_asset_id, id, segment_id);
CREATE INDEX idx_receipts_source_image ON generation_receipts(source_image_id);
CREATE INDEX idx_receipts_variant_image ON generation_receipts(variant_image_id);
CREATE INDEX idx_receipts_inputs_hash ON generation_receipts(inputs_hash);
CREATE INDEX idx_receipts_source_image_hash ON generation_receipts(source_image_hash);
CREATE INDEX idx_receipts_model_hash ON generation_receipts(model_hash);

CREATE TABLE receipt_loras (
    receipt_id BIGINT NOT NULL REFERENCES generation_receipts(id) ON DELETE CASCADE,
    -- the receipt's segment, copied (a trigger checks it) so reverse-provenance counts are index-only
    segment_id BIGINT NOT NULL,
    position   INTEGER NOT NULL CHECK (position >= 0),
    asset_id   BIGINT REFERENCES assets(id),
    lora_name  TEXT NOT NULL,
    version    TEXT,
    hash       TEXT,
    weight     DOUBLE PRECISION NOT NULL CHECK (weight >= -10 AND weight <= 10),
    PRIMARY KEY (receipt_id, position)
);
CREATE INDEX idx_receipt_loras_asset ON receipt_loras(asset_id, receipt_id, segment_id);

CREATE FUNCTION reelmark_receipt_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM segments WHERE id = OLD.segment_id) THEN
            RAISE EXCEPTION 'generation receipts are immutable: a receipt is deleted only with its segment'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF (to_jsonb(NEW) - 'generation_completed_at' - 'generation_duration_ms')
           IS DISTINCT FROM (to_jsonb(OLD) - 'generation_completed_at' - 'generation_duration_ms')
       OR (OLD.generation_completed_at IS NOT NULL AND NEW.generation_completed_at IS DISTINCT FROM OLD.generation_completed_at)
       OR (OLD.generation_duration_ms IS NOT NULL AND NEW.generation_duration_ms IS DISTINCT FROM OLD.generation_duration_ms) THEN
        RAISE EXCEPTION 'generation receipts are immutable: only generation_completed_at and generation_duration_ms may be set, once'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER generation_receipts_immutable BEFORE UPDATE OR DELETE ON generation_receipts
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_guard();

CREATE FUNCTION reelmark_receipt_lora_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.segment_id IS DISTINCT FROM (SELECT segment_id FROM generation_receipts WHERE id = NEW.receipt_id)
           OR NEW.position >= (SELECT lora_count FROM generation_receipts WHERE id = NEW.receipt_id) THEN
            RAISE EXCEPTION 'generation receipts are immutable: a LoRA row must belong to its receipt''s segment and fit its lora_count'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM generation_receipts WHERE id = OLD.receipt_id) THEN
            RAISE EXCEPTION 'generation receipts are immutable: receipt LoRAs are deleted only with their receipt'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'generation receipts are immutable: receipt LoRAs cannot be changed'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER receipt_loras_immutable BEFORE INSERT OR UPDATE OR DELETE ON receipt_loras
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_lora_guard();

CREATE TABLE regeneration_drafts (
    id                  BIGSERIAL PRIMARY KEY,
    job_id              BIGINT NOT NULL,
    old_segment_id      BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    new_segment_id      BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    old_receipt_id      BIGINT NOT NULL,
    planned_inputs      JSONB NOT NULL,
    planned_inputs_hash TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (job_id, old_segment_id)
);
CREATE INDEX idx_regeneration_drafts_old ON regeneration_drafts(old_segment_id, id);
CREATE INDEX idx_regeneration_drafts_new ON regeneration_drafts(new_segment_id);
