-- ComfyUI imports keep every input of the graph with the receipt (PostgreSQL flavour; sqlite/V9 is the same design).
--   * receipt_loras.strength_clip: the LoRA's CLIP strength (NULL for model-only loaders and for API receipts);
--   * receipt_models: every model of an imported generation in sampler-chain order with its role (Wan 2.2:
--     high_noise, low_noise); position 0 is the model of the receipt's model_* columns;
--   * receipt_source_files: the images the graph loaded (LoadImage), with the SHA-256 of the file when it was
--     found in the media roots and the catalog image with that content, if any;
--   * receipt_comfy_graphs: the raw API-format prompt graph and UI workflow, so the generation can be re-queued.
-- A model or LoRA that matches no catalog version (by file name or file hash) has asset_id NULL: unverified.
-- All of it is write-once like the receipt: no UPDATE, no DELETE while the receipt exists, and rows only at the
-- positions the receipt announces in additional_params (model_count, source_image_count; a graph only when
-- comfy_format is set), so nothing can be added to a receipt later. The counts and the rows
-- are covered by inputs_hash (encoding v2, docs/inputs-hash.md).

ALTER TABLE receipt_loras ADD COLUMN strength_clip DOUBLE PRECISION CHECK (strength_clip IS NULL OR (strength_clip >= -10 AND strength_clip <= 10));

CREATE TABLE receipt_models (
    receipt_id BIGINT NOT NULL REFERENCES generation_receipts(id) ON DELETE CASCADE,
    segment_id BIGINT NOT NULL,
    position   INTEGER NOT NULL CHECK (position >= 0),
    role       TEXT,
    asset_id   BIGINT REFERENCES assets(id),
    model_name TEXT NOT NULL,
    version    TEXT,
    hash       TEXT,
    PRIMARY KEY (receipt_id, position)
);
CREATE INDEX idx_receipt_models_asset ON receipt_models(asset_id, receipt_id, segment_id);

CREATE TABLE receipt_source_files (
    receipt_id BIGINT NOT NULL REFERENCES generation_receipts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position >= 0),
    role       TEXT,
    name       TEXT NOT NULL,
    path       TEXT,
    sha256     TEXT,
    image_id   BIGINT REFERENCES images(id),
    PRIMARY KEY (receipt_id, position)
);
CREATE INDEX idx_receipt_source_files_image ON receipt_source_files(image_id);

CREATE TABLE receipt_comfy_graphs (
    receipt_id   BIGINT PRIMARY KEY REFERENCES generation_receipts(id) ON DELETE CASCADE,
    format       TEXT NOT NULL CHECK (format IN ('api', 'ui')),
    prompt_graph JSONB CHECK (prompt_graph IS NULL OR jsonb_typeof(prompt_graph) = 'object'),
    workflow     JSONB CHECK (workflow IS NULL OR jsonb_typeof(workflow) = 'object'),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (prompt_graph IS NOT NULL OR workflow IS NOT NULL)
);

CREATE FUNCTION reelmark_receipt_part_guard() RETURNS trigger AS $$
DECLARE
    r generation_receipts%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT * INTO r FROM generation_receipts WHERE id = NEW.receipt_id;
        IF TG_TABLE_NAME = 'receipt_models' THEN
            IF r.id IS NULL OR NEW.segment_id IS DISTINCT FROM r.segment_id
               OR NEW.position >= coalesce((r.additional_params ->> 'model_count')::int, 0) THEN
                RAISE EXCEPTION 'generation receipts are immutable: a model row must belong to its receipt''s segment and fit its model_count'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        ELSIF TG_TABLE_NAME = 'receipt_source_files' THEN
            IF r.id IS NULL OR NEW.position >= coalesce((r.additional_params ->> 'source_image_count')::int, 0) THEN
                RAISE EXCEPTION 'generation receipts are immutable: a source file row must fit its receipt''s source_image_count'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        ELSE
            IF r.id IS NULL OR NOT (r.additional_params ? 'comfy_format') THEN
                RAISE EXCEPTION 'generation receipts are immutable: a ComfyUI graph is kept only with a receipt imported from ComfyUI, once'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM generation_receipts WHERE id = OLD.receipt_id) THEN
            RAISE EXCEPTION 'generation receipts are immutable: % rows are deleted only with their receipt', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'generation receipts are immutable: % rows cannot be changed', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER receipt_models_immutable BEFORE INSERT OR UPDATE OR DELETE ON receipt_models
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_part_guard();
CREATE TRIGGER receipt_source_files_immutable BEFORE INSERT OR UPDATE OR DELETE ON receipt_source_files
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_part_guard();
CREATE TRIGGER receipt_comfy_graphs_immutable BEFORE INSERT OR UPDATE OR DELETE ON receipt_comfy_graphs
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_part_guard();

CREATE FUNCTION reelmark_truncate_receipt_parts_refused() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'generation receipts are immutable: % cannot be truncated', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER receipt_models_no_truncate BEFORE TRUNCATE ON receipt_models
FOR EACH STATEMENT EXECUTE FUNCTION reelmark_truncate_receipt_parts_refused();
CREATE TRIGGER receipt_source_files_no_truncate BEFORE TRUNCATE ON receipt_source_files
FOR EACH STATEMENT EXECUTE FUNCTION reelmark_truncate_receipt_parts_refused();
CREATE TRIGGER receipt_comfy_graphs_no_truncate BEFORE TRUNCATE ON receipt_comfy_graphs
FOR EACH STATEMENT EXECUTE FUNCTION reelmark_truncate_receipt_parts_refused();

-- reverse provenance of the further models (position 0 is counted from the receipt's model_asset_id)
CREATE FUNCTION reelmark_receipt_model_usage() RETURNS trigger AS $$
BEGIN
    IF NEW.position > 0 AND NEW.asset_id IS DISTINCT FROM (SELECT model_asset_id FROM generation_receipts WHERE id = NEW.receipt_id) THEN
        PERFORM reelmark_count_usage(NEW.asset_id, NEW.segment_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER receipt_models_usage AFTER INSERT ON receipt_models
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_model_usage();
