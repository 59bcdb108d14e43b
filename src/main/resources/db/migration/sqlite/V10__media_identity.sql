-- Staleness that sees the media (SQLite flavour; postgresql/V10__media_identity.sql is the same design).
--  * metadata_generations.media: the identity (real path, size, mtime, SHA-256) of every segment video and image a
--    metadata file was built from, as a JSON array; NULL for files written before identities were recorded.
--  * generation_receipts.output_sha256 / output_size: the receipt's output video as it was once it existed. Set
--    once, NULL -> value, at receipt creation or completion; any other change is refused like every receipt input.
--  * A catalog version that receipts used keeps its content hash: an in-place change is refused here as well as by
--    the catalog (which answers 409 before it gets this far).

ALTER TABLE metadata_generations ADD COLUMN media TEXT CHECK (media IS NULL OR (json_valid(media) AND json_type(media) = 'array'));

ALTER TABLE generation_receipts ADD COLUMN output_sha256 TEXT CHECK (output_sha256 IS NULL OR (length(output_sha256) = 64 AND output_sha256 NOT GLOB '*[^0-9a-f]*'));
ALTER TABLE generation_receipts ADD COLUMN output_size INTEGER CHECK (output_size IS NULL OR output_size >= 0);

CREATE TRIGGER generation_receipts_output_once BEFORE UPDATE OF output_sha256, output_size ON generation_receipts
FOR EACH ROW WHEN
       (OLD.output_sha256 IS NOT NULL AND NEW.output_sha256 IS NOT OLD.output_sha256)
    OR (OLD.output_size IS NOT NULL AND NEW.output_size IS NOT OLD.output_size)
    OR ((NEW.output_sha256 IS NULL) <> (NEW.output_size IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'generation receipts are immutable: output_sha256 and output_size are set once, together');
END;

CREATE TRIGGER images_used_hash_fixed BEFORE UPDATE OF content_hash ON images
FOR EACH ROW WHEN NEW.content_hash IS NOT OLD.content_hash
    AND (EXISTS (SELECT 1 FROM generation_receipts WHERE source_image_id = OLD.id)
         OR EXISTS (SELECT 1 FROM generation_receipts WHERE variant_image_id = OLD.id))
BEGIN
    SELECT RAISE(ABORT, 'version in use: an image version used by generation receipts keeps its content_hash; publish a new version');
END;

CREATE TRIGGER assets_used_hash_fixed BEFORE UPDATE OF checksum_sha256 ON assets
FOR EACH ROW WHEN NEW.checksum_sha256 IS NOT OLD.checksum_sha256
    AND (EXISTS (SELECT 1 FROM generation_receipts WHERE model_asset_id = OLD.id)
         OR EXISTS (SELECT 1 FROM generation_receipts WHERE workflow_asset_id = OLD.id)
         OR EXISTS (SELECT 1 FROM receipt_loras WHERE asset_id = OLD.id))
BEGIN
    SELECT RAISE(ABORT, 'version in use: an asset version used by generation receipts keeps its checksum_sha256; publish a new version');
END;
