-- Regeneration that settles, and immutability without holes (PostgreSQL flavour; sqlite/V8 is the same design).
--
-- 1. A regeneration draft records what it replaces and outlives it: the replaced segment's id, place, output path,
--    status and receipt (id, inputs hash) are copied into the draft, with no foreign key to that segment. The draft
--    goes with its new segment (ON DELETE CASCADE), one draft per new segment. Open (the new segment has no receipt
--    yet and has not failed or been rejected) or settled (it has a receipt: the replaced segment is superseded) is
--    computed by query, never stored.
ALTER TABLE regeneration_drafts DROP CONSTRAINT regeneration_drafts_old_segment_id_fkey;
ALTER TABLE regeneration_drafts RENAME COLUMN old_segment_id TO replaces_segment_id;
ALTER TABLE regeneration_drafts RENAME COLUMN old_receipt_id TO replaces_receipt_id;
ALTER TABLE regeneration_drafts
    ADD COLUMN replaces_scene_id BIGINT,
    ADD COLUMN replaces_sequence_index INTEGER,
    ADD COLUMN replaces_output_video_path TEXT,
    ADD COLUMN replaces_status TEXT,
    ADD COLUMN replaces_inputs_hash TEXT;
UPDATE regeneration_drafts d SET replaces_scene_id = s.scene_id, replaces_sequence_index = s.sequence_index,
        replaces_output_video_path = s.output_video_path, replaces_status = s.status
    FROM segments s WHERE s.id = d.replaces_segment_id;
UPDATE regeneration_drafts d SET replaces_inputs_hash = coalesce(
        (SELECT r.inputs_hash FROM generation_receipts r WHERE r.id = d.replaces_receipt_id), '');
ALTER TABLE regeneration_drafts
    ALTER COLUMN replaces_scene_id SET NOT NULL,
    ALTER COLUMN replaces_sequence_index SET NOT NULL,
    ALTER COLUMN replaces_status SET NOT NULL,
    ALTER COLUMN replaces_inputs_hash SET NOT NULL,
    ADD CONSTRAINT regeneration_drafts_planned_inputs_object CHECK (jsonb_typeof(planned_inputs) = 'object'),
    ADD CONSTRAINT regeneration_drafts_new_segment_once UNIQUE (new_segment_id);
DROP INDEX idx_regeneration_drafts_new;
ALTER INDEX idx_regeneration_drafts_old RENAME TO idx_regeneration_drafts_replaces;
CREATE INDEX idx_regeneration_drafts_scene ON regeneration_drafts(replaces_scene_id);

-- 2. No receipt or receipt LoRA can be written twice: a BEFORE INSERT trigger fires before ON CONFLICT is
--    checked, so an insert whose key already exists is refused whatever its conflict clause (DO UPDATE or DO NOTHING).
CREATE FUNCTION reelmark_receipt_no_upsert() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'generation_receipts' THEN
        IF EXISTS (SELECT 1 FROM generation_receipts WHERE id = NEW.id) THEN
            RAISE EXCEPTION 'generation receipts are immutable: a receipt cannot be written again (upsert)'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM receipt_loras WHERE receipt_id = NEW.receipt_id AND position = NEW.position) THEN
        RAISE EXCEPTION 'generation receipts are immutable: a receipt LoRA cannot be written again (upsert)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER generation_receipts_no_upsert BEFORE INSERT ON generation_receipts
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_no_upsert();
CREATE TRIGGER receipt_loras_no_upsert BEFORE INSERT ON receipt_loras
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_no_upsert();

-- 3. TRUNCATE skips row triggers, so each table gets a statement-level BEFORE TRUNCATE trigger. TRUNCATE ... CASCADE
--    truncates the referencing tables too and fires their triggers, so TRUNCATE segments CASCADE is refused as well:
--    receipts leave only with their segments, row by row (DELETE FROM segments ... cascades).
CREATE FUNCTION reelmark_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%: TRUNCATE % is refused', TG_ARGV[0], TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER generation_receipts_no_truncate BEFORE TRUNCATE ON generation_receipts
FOR EACH STATEMENT EXECUTE FUNCTION reelmark_refuse_truncate('generation receipts are immutable');
CREATE TRIGGER receipt_loras_no_truncate BEFORE TRUNCATE ON receipt_loras
FOR EACH STATEMENT EXECUTE FUNCTION reelmark_refuse_truncate('generation receipts are immutable');
CREATE TRIGGER asset_segment_usage_no_truncate BEFORE TRUNCATE ON asset_segment_usage
FOR EACH STATEMENT EXECUTE FUNCTION reelmark_refuse_truncate('asset_segment_usage is kept by the receipt triggers');

-- 4. asset_segment_usage is written only by triggers: the receipt triggers' upserts and the ON DELETE CASCADE from
--    segments (itself a trigger) run at trigger depth 2 when they reach this guard; a statement sent by a client
--    reaches it at depth 1 and is refused. (Adding a trigger of one's own needs DDL rights the server role lacks:
--    see "Least-privilege PostgreSQL role" in the README.)
CREATE FUNCTION reelmark_usage_guard() RETURNS trigger AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'asset_segment_usage is kept by the receipt triggers: a direct % is refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER asset_segment_usage_guard BEFORE INSERT OR UPDATE OR DELETE ON asset_segment_usage
FOR EACH ROW EXECUTE FUNCTION reelmark_usage_guard();
