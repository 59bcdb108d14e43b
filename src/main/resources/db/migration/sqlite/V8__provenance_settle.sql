-- Regeneration that settles, and immutability without holes (SQLite flavour; postgresql/V8 is the same design).
--
-- 1. A regeneration draft records what it replaces and outlives it. The replaced segment's id, place (scene,
--    sequence index), output path, status and its receipt (id, inputs hash) are copied into the draft, with no
--    foreign key to that segment: deleting it no longer deletes the draft (or orphans the new segment). The draft
--    goes with its new segment (ON DELETE CASCADE), one draft per new segment.
--    Whether a draft is open (its new segment has no receipt yet and has not failed or been rejected) or settled
--    (its new segment has a receipt: the replaced segment is superseded) is computed by query, never stored.
CREATE TABLE regeneration_drafts_v8 (
    id                         INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id                     INTEGER NOT NULL,
    replaces_segment_id        INTEGER NOT NULL, -- no foreign key: the draft outlives the segment it replaces
    replaces_scene_id          INTEGER NOT NULL,
    replaces_sequence_index    INTEGER NOT NULL,
    replaces_output_video_path TEXT,
    replaces_status            TEXT NOT NULL,
    replaces_receipt_id        INTEGER NOT NULL,
    replaces_inputs_hash       TEXT NOT NULL,
    new_segment_id             INTEGER NOT NULL UNIQUE REFERENCES segments(id) ON DELETE CASCADE,
    planned_inputs             TEXT NOT NULL CHECK (json_valid(planned_inputs) AND json_type(planned_inputs) = 'object'),
    planned_inputs_hash        TEXT NOT NULL,
    created_at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (job_id, replaces_segment_id)
);
INSERT INTO regeneration_drafts_v8 (id, job_id, replaces_segment_id, replaces_scene_id, replaces_sequence_index,
        replaces_output_video_path, replaces_status, replaces_receipt_id, replaces_inputs_hash, new_segment_id,
        planned_inputs, planned_inputs_hash, created_at)
SELECT d.id, d.job_id, d.old_segment_id, s.scene_id, s.sequence_index, s.output_video_path, s.status, d.old_receipt_id,
       coalesce(r.inputs_hash, ''), d.new_segment_id, d.planned_inputs, d.planned_inputs_hash, d.created_at
FROM regeneration_drafts d JOIN segments s ON s.id = d.old_segment_id
LEFT JOIN generation_receipts r ON r.id = d.old_receipt_id;
DROP TABLE regeneration_drafts;
ALTER TABLE regeneration_drafts_v8 RENAME TO regeneration_drafts;
CREATE INDEX idx_regeneration_drafts_replaces ON regeneration_drafts(replaces_segment_id, id);
CREATE INDEX idx_regeneration_drafts_scene ON regeneration_drafts(replaces_scene_id);

-- 2. No receipt or receipt LoRA can be written twice. REPLACE / INSERT OR REPLACE would delete the existing row
--    first (without firing DELETE triggers: recursive_triggers is off) and INSERT ... ON CONFLICT DO UPDATE would
--    turn into an update; a BEFORE INSERT trigger fires before either, so an insert whose key already exists is
--    refused whatever its conflict clause. (With the key omitted, NEW.id is -1 here, which no receipt has.)
CREATE TRIGGER generation_receipts_no_replace BEFORE INSERT ON generation_receipts
FOR EACH ROW WHEN EXISTS (SELECT 1 FROM generation_receipts WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: a receipt cannot be written again (REPLACE, INSERT OR REPLACE, upsert)');
END;

CREATE TRIGGER receipt_loras_no_replace BEFORE INSERT ON receipt_loras
FOR EACH ROW WHEN EXISTS (SELECT 1 FROM receipt_loras WHERE receipt_id = NEW.receipt_id AND position = NEW.position)
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: a receipt LoRA cannot be written again (REPLACE, INSERT OR REPLACE, upsert)');
END;

-- 3. asset_segment_usage holds only what the receipts say. SQLite has no session state a trigger could check, so
--    every write is checked against the receipts themselves: an inserted or updated row must carry exactly the
--    number of receipts (model, workflow and LoRA rows) of its asset version and segment, and a row is deleted only
--    with its segment. A direct INSERT, UPDATE, REPLACE or DELETE that would change a count is refused; the
--    maintaining triggers below write one step at a time (update, else insert), so each of their writes is true.
--    The indexes make each check an index range of that segment's rows.
CREATE INDEX idx_receipts_segment_model ON generation_receipts(segment_id, model_asset_id);
CREATE INDEX idx_receipts_segment_workflow ON generation_receipts(segment_id, workflow_asset_id);
CREATE INDEX idx_receipt_loras_segment_asset ON receipt_loras(segment_id, asset_id);

CREATE TRIGGER asset_segment_usage_true_insert BEFORE INSERT ON asset_segment_usage
FOR EACH ROW WHEN NEW.receipts IS NOT (
      (SELECT count(*) FROM generation_receipts WHERE segment_id = NEW.segment_id AND model_asset_id = NEW.asset_id)
    + (SELECT count(*) FROM generation_receipts WHERE segment_id = NEW.segment_id AND workflow_asset_id = NEW.asset_id)
    + (SELECT count(*) FROM receipt_loras WHERE segment_id = NEW.segment_id AND asset_id = NEW.asset_id))
BEGIN
    SELECT RAISE(ABORT, 'asset_segment_usage is kept by the receipt triggers: a direct write is refused');
END;

CREATE TRIGGER asset_segment_usage_true_update BEFORE UPDATE ON asset_segment_usage
FOR EACH ROW WHEN NEW.asset_id IS NOT OLD.asset_id OR NEW.segment_id IS NOT OLD.segment_id OR NEW.receipts IS NOT (
      (SELECT count(*) FROM generation_receipts WHERE segment_id = NEW.segment_id AND model_asset_id = NEW.asset_id)
    + (SELECT count(*) FROM generation_receipts WHERE segment_id = NEW.segment_id AND workflow_asset_id = NEW.asset_id)
    + (SELECT count(*) FROM receipt_loras WHERE segment_id = NEW.segment_id AND asset_id = NEW.asset_id))
BEGIN
    SELECT RAISE(ABORT, 'asset_segment_usage is kept by the receipt triggers: a direct write is refused');
END;

CREATE TRIGGER asset_segment_usage_no_delete BEFORE DELETE ON asset_segment_usage
FOR EACH ROW WHEN EXISTS (SELECT 1 FROM segments WHERE id = OLD.segment_id)
BEGIN
    SELECT RAISE(ABORT, 'asset_segment_usage is kept by the receipt triggers: a row is deleted only with its segment');
END;

DROP TRIGGER generation_receipts_usage;
CREATE TRIGGER generation_receipts_usage AFTER INSERT ON generation_receipts
FOR EACH ROW
BEGIN
    -- a receipt whose model and workflow are the same asset counts twice, in one step
    UPDATE asset_segment_usage SET receipts = receipts + (CASE WHEN NEW.workflow_asset_id = NEW.model_asset_id THEN 2 ELSE 1 END)
        WHERE asset_id = NEW.model_asset_id AND segment_id = NEW.segment_id;
    INSERT INTO asset_segment_usage (asset_id, segment_id, receipts)
        SELECT NEW.model_asset_id, NEW.segment_id, CASE WHEN NEW.workflow_asset_id = NEW.model_asset_id THEN 2 ELSE 1 END
        WHERE NEW.model_asset_id IS NOT NULL AND NOT EXISTS
            (SELECT 1 FROM asset_segment_usage WHERE asset_id = NEW.model_asset_id AND segment_id = NEW.segment_id);
    UPDATE asset_segment_usage SET receipts = receipts + 1
        WHERE asset_id = NEW.workflow_asset_id AND segment_id = NEW.segment_id AND NEW.workflow_asset_id IS NOT NEW.model_asset_id;
    INSERT INTO asset_segment_usage (asset_id, segment_id, receipts)
        SELECT NEW.workflow_asset_id, NEW.segment_id, 1
        WHERE NEW.workflow_asset_id IS NOT NULL AND NEW.workflow_asset_id IS NOT NEW.model_asset_id AND NOT EXISTS
            (SELECT 1 FROM asset_segment_usage WHERE asset_id = NEW.workflow_asset_id AND segment_id = NEW.segment_id);
END;

DROP TRIGGER receipt_loras_usage;
CREATE TRIGGER receipt_loras_usage AFTER INSERT ON receipt_loras
FOR EACH ROW WHEN NEW.asset_id IS NOT NULL
BEGIN
    UPDATE asset_segment_usage SET receipts = receipts + 1 WHERE asset_id = NEW.asset_id AND segment_id = NEW.segment_id;
    INSERT INTO asset_segment_usage (asset_id, segment_id, receipts)
        SELECT NEW.asset_id, NEW.segment_id, 1 WHERE NOT EXISTS
            (SELECT 1 FROM asset_segment_usage WHERE asset_id = NEW.asset_id AND segment_id = NEW.segment_id);
END;
