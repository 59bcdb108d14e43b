-- ComfyUI imports keep every input of the graph with the receipt (SQLite flavour; postgresql/V9 is the same design).
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

ALTER TABLE receipt_loras ADD COLUMN strength_clip REAL CHECK (strength_clip IS NULL OR (strength_clip >= -10 AND strength_clip <= 10));

CREATE TABLE receipt_models (
    receipt_id INTEGER NOT NULL REFERENCES generation_receipts(id) ON DELETE CASCADE,
    segment_id INTEGER NOT NULL,
    position   INTEGER NOT NULL CHECK (position >= 0),
    role       TEXT,
    asset_id   INTEGER REFERENCES assets(id),
    model_name TEXT NOT NULL,
    version    TEXT,
    hash       TEXT,
    PRIMARY KEY (receipt_id, position)
);
CREATE INDEX idx_receipt_models_asset ON receipt_models(asset_id, receipt_id, segment_id);

CREATE TABLE receipt_source_files (
    receipt_id INTEGER NOT NULL REFERENCES generation_receipts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position >= 0),
    role       TEXT,
    name       TEXT NOT NULL,
    path       TEXT,
    sha256     TEXT,
    image_id   INTEGER REFERENCES images(id),
    PRIMARY KEY (receipt_id, position)
);
CREATE INDEX idx_receipt_source_files_image ON receipt_source_files(image_id);

CREATE TABLE receipt_comfy_graphs (
    receipt_id   INTEGER PRIMARY KEY REFERENCES generation_receipts(id) ON DELETE CASCADE,
    format       TEXT NOT NULL CHECK (format IN ('api', 'ui')),
    prompt_graph TEXT CHECK (prompt_graph IS NULL OR (json_valid(prompt_graph) AND json_type(prompt_graph) = 'object')),
    workflow     TEXT CHECK (workflow IS NULL OR (json_valid(workflow) AND json_type(workflow) = 'object')),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (prompt_graph IS NOT NULL OR workflow IS NOT NULL)
);

CREATE TRIGGER receipt_models_insert BEFORE INSERT ON receipt_models
FOR EACH ROW WHEN NEW.segment_id IS NOT (SELECT segment_id FROM generation_receipts WHERE id = NEW.receipt_id)
    OR NEW.position >= coalesce((SELECT json_extract(additional_params, '$.model_count') FROM generation_receipts WHERE id = NEW.receipt_id), 0)
    OR EXISTS (SELECT 1 FROM receipt_models WHERE receipt_id = NEW.receipt_id AND position = NEW.position)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: a model row must belong to its receipt''s segment and fit its model_count');
END;
CREATE TRIGGER receipt_models_immutable BEFORE UPDATE ON receipt_models
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: receipt models cannot be changed');
END;
CREATE TRIGGER receipt_models_no_delete BEFORE DELETE ON receipt_models
FOR EACH ROW WHEN EXISTS (SELECT 1 FROM generation_receipts WHERE id = OLD.receipt_id)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: receipt models are deleted only with their receipt');
END;

CREATE TRIGGER receipt_source_files_insert BEFORE INSERT ON receipt_source_files
FOR EACH ROW WHEN NEW.position >= coalesce((SELECT json_extract(additional_params, '$.source_image_count') FROM generation_receipts WHERE id = NEW.receipt_id), 0)
    OR EXISTS (SELECT 1 FROM receipt_source_files WHERE receipt_id = NEW.receipt_id AND position = NEW.position)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: a source file row must fit its receipt''s source_image_count');
END;
CREATE TRIGGER receipt_source_files_immutable BEFORE UPDATE ON receipt_source_files
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: receipt source files cannot be changed');
END;
CREATE TRIGGER receipt_source_files_no_delete BEFORE DELETE ON receipt_source_files
FOR EACH ROW WHEN EXISTS (SELECT 1 FROM generation_receipts WHERE id = OLD.receipt_id)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: receipt source files are deleted only with their receipt');
END;

CREATE TRIGGER receipt_comfy_graphs_insert BEFORE INSERT ON receipt_comfy_graphs
FOR EACH ROW WHEN NOT EXISTS (SELECT 1 FROM generation_receipts WHERE id = NEW.receipt_id
        AND json_type(additional_params, '$.comfy_format') IS NOT NULL)
    OR EXISTS (SELECT 1 FROM receipt_comfy_graphs WHERE receipt_id = NEW.receipt_id)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: a ComfyUI graph is kept only with a receipt imported from ComfyUI, once');
END;
CREATE TRIGGER receipt_comfy_graphs_immutable BEFORE UPDATE ON receipt_comfy_graphs
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: a receipt''s ComfyUI graph cannot be changed');
END;
CREATE TRIGGER receipt_comfy_graphs_no_delete BEFORE DELETE ON receipt_comfy_graphs
FOR EACH ROW WHEN EXISTS (SELECT 1 FROM generation_receipts WHERE id = OLD.receipt_id)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: a receipt''s ComfyUI graph is deleted only with its receipt');
END;

-- reverse provenance of the further models (position 0 is counted from the receipt's model_asset_id). The usage
-- table accepts only true counts (V8), so its guards count these rows too, and the trigger writes one step at a time.
CREATE INDEX idx_receipt_models_segment_asset ON receipt_models(segment_id, asset_id);

DROP TRIGGER asset_segment_usage_true_insert;
CREATE TRIGGER asset_segment_usage_true_insert BEFORE INSERT ON asset_segment_usage
FOR EACH ROW WHEN NEW.receipts IS NOT (
      (SELECT count(*) FROM generation_receipts WHERE segment_id = NEW.segment_id AND model_asset_id = NEW.asset_id)
    + (SELECT count(*) FROM generation_receipts WHERE segment_id = NEW.segment_id AND workflow_asset_id = NEW.asset_id)
    + (SELECT count(*) FROM receipt_loras WHERE segment_id = NEW.segment_id AND asset_id = NEW.asset_id)
    + (SELECT count(*) FROM receipt_models rm JOIN generation_receipts r ON r.id = rm.receipt_id
       WHERE rm.segment_id = NEW.segment_id AND rm.asset_id = NEW.asset_id AND rm.position > 0
         AND rm.asset_id IS NOT r.model_asset_id))
BEGIN
    SELECT RAISE(ABORT, 'asset_segment_usage is kept by the receipt triggers: a direct write is refused');
END;

DROP TRIGGER asset_segment_usage_true_update;
CREATE TRIGGER asset_segment_usage_true_update BEFORE UPDATE ON asset_segment_usage
FOR EACH ROW WHEN NEW.asset_id IS NOT OLD.asset_id OR NEW.segment_id IS NOT OLD.segment_id OR NEW.receipts IS NOT (
      (SELECT count(*) FROM generation_receipts WHERE segment_id = NEW.segment_id AND model_asset_id = NEW.asset_id)
    + (SELECT count(*) FROM generation_receipts WHERE segment_id = NEW.segment_id AND workflow_asset_id = NEW.asset_id)
    + (SELECT count(*) FROM receipt_loras WHERE segment_id = NEW.segment_id AND asset_id = NEW.asset_id)
    + (SELECT count(*) FROM receipt_models rm JOIN generation_receipts r ON r.id = rm.receipt_id
       WHERE rm.segment_id = NEW.segment_id AND rm.asset_id = NEW.asset_id AND rm.position > 0
         AND rm.asset_id IS NOT r.model_asset_id))
BEGIN
    SELECT RAISE(ABORT, 'asset_segment_usage is kept by the receipt triggers: a direct write is refused');
END;

CREATE TRIGGER receipt_models_usage AFTER INSERT ON receipt_models
FOR EACH ROW WHEN NEW.asset_id IS NOT NULL AND NEW.position > 0
    AND NEW.asset_id IS NOT (SELECT model_asset_id FROM generation_receipts WHERE id = NEW.receipt_id)
BEGIN
    UPDATE asset_segment_usage SET receipts = receipts + 1 WHERE asset_id = NEW.asset_id AND segment_id = NEW.segment_id;
    INSERT INTO asset_segment_usage (asset_id, segment_id, receipts)
        SELECT NEW.asset_id, NEW.segment_id, 1 WHERE NOT EXISTS
            (SELECT 1 FROM asset_segment_usage WHERE asset_id = NEW.asset_id AND segment_id = NEW.segment_id);
END;
