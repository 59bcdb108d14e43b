-- Staleness that sees the media (PostgreSQL flavour; sqlite/V10__media_identity.sql is the same design).
--  * metadata_generations.media: the identity (real path, size, mtime, SHA-256) of every segment video and image a
--    metadata file was built from, as a JSON array; NULL for files written before identities were recorded.
--  * generation_receipts.output_sha256 / output_size: the receipt's output video as it was once it existed. Set
--    once, NULL -> value, at receipt creation or completion; any other change is refused like every receipt input.
--  * A catalog version that receipts used keeps its content hash: an in-place change is refused here as well as by
--    the catalog (which answers 409 before it gets this far).

ALTER TABLE metadata_generations ADD COLUMN media JSONB CHECK (media IS NULL OR jsonb_typeof(media) = 'array');

ALTER TABLE generation_receipts ADD COLUMN output_sha256 TEXT CHECK (output_sha256 IS NULL OR output_sha256 ~ '^[0-9a-f]{64}$');
ALTER TABLE generation_receipts ADD COLUMN output_size BIGINT CHECK (output_size IS NULL OR output_size >= 0);

-- The receipt guard of V4, with the output columns among those that may be set once (every other column, including
-- any added later, still may not change).
CREATE OR REPLACE FUNCTION reelmark_receipt_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM segments WHERE id = OLD.segment_id) THEN
            RAISE EXCEPTION 'generation receipts are immutable: a receipt is deleted only with its segment'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF (to_jsonb(NEW) - 'generation_completed_at' - 'generation_duration_ms' - 'output_sha256' - 'output_size')
           IS DISTINCT FROM (to_jsonb(OLD) - 'generation_completed_at' - 'generation_duration_ms' - 'output_sha256' - 'output_size')
       OR (OLD.generation_completed_at IS NOT NULL AND NEW.generation_completed_at IS DISTINCT FROM OLD.generation_completed_at)
       OR (OLD.generation_duration_ms IS NOT NULL AND NEW.generation_duration_ms IS DISTINCT FROM OLD.generation_duration_ms) THEN
        RAISE EXCEPTION 'generation receipts are immutable: only generation_completed_at and generation_duration_ms may be set, once'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (OLD.output_sha256 IS NOT NULL AND NEW.output_sha256 IS DISTINCT FROM OLD.output_sha256)
       OR (OLD.output_size IS NOT NULL AND NEW.output_size IS DISTINCT FROM OLD.output_size)
       OR ((NEW.output_sha256 IS NULL) <> (NEW.output_size IS NULL)) THEN
        RAISE EXCEPTION 'generation receipts are immutable: output_sha256 and output_size are set once, together'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION reelmark_used_version_hash_guard() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'images' THEN
        IF NEW.content_hash IS DISTINCT FROM OLD.content_hash
           AND EXISTS (SELECT 1 FROM generation_receipts WHERE source_image_id = OLD.id OR variant_image_id = OLD.id) THEN
            RAISE EXCEPTION 'version in use: an image version used by generation receipts keeps its content_hash; publish a new version'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF NEW.checksum_sha256 IS DISTINCT FROM OLD.checksum_sha256
          AND (EXISTS (SELECT 1 FROM generation_receipts WHERE model_asset_id = OLD.id OR workflow_asset_id = OLD.id)
               OR EXISTS (SELECT 1 FROM receipt_loras WHERE asset_id = OLD.id)) THEN
        RAISE EXCEPTION 'version in use: an asset version used by generation receipts keeps its checksum_sha256; publish a new version'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER images_used_hash_fixed BEFORE UPDATE OF content_hash ON images
FOR EACH ROW EXECUTE FUNCTION reelmark_used_version_hash_guard();
CREATE TRIGGER assets_used_hash_fixed BEFORE UPDATE OF checksum_sha256 ON assets
FOR EACH ROW EXECUTE FUNCTION reelmark_used_version_hash_guard();
