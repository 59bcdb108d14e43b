-- Reverse-provenance counts that scale with segments, not receipts (PostgreSQL flavour; sqlite/V7 is the same design).
-- asset_segment_usage holds one row per (asset version, segment) that a receipt used, with how many receipts did,
-- maintained by insert triggers on the write-once receipt tables. Rows leave with their segment (ON DELETE CASCADE),
-- the only way receipts leave; receipts are never updated (V4's triggers), so inserts are the only change to follow.
CREATE TABLE asset_segment_usage (
    asset_id   BIGINT NOT NULL,
    segment_id BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    receipts   BIGINT NOT NULL CHECK (receipts > 0),
    PRIMARY KEY (asset_id, segment_id) INCLUDE (receipts) -- an asset's counts are an index-only range
);
CREATE INDEX idx_asset_segment_usage_segment ON asset_segment_usage(segment_id);

CREATE FUNCTION reelmark_count_usage(asset BIGINT, segment BIGINT) RETURNS void AS $$
BEGIN
    IF asset IS NOT NULL THEN
        INSERT INTO asset_segment_usage (asset_id, segment_id, receipts) VALUES (asset, segment, 1)
        ON CONFLICT (asset_id, segment_id) DO UPDATE SET receipts = asset_segment_usage.receipts + 1;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION reelmark_receipt_usage() RETURNS trigger AS $$
BEGIN
    PERFORM reelmark_count_usage(NEW.model_asset_id, NEW.segment_id);
    PERFORM reelmark_count_usage(NEW.workflow_asset_id, NEW.segment_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER generation_receipts_usage AFTER INSERT ON generation_receipts
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_usage();

CREATE FUNCTION reelmark_receipt_lora_usage() RETURNS trigger AS $$
BEGIN
    PERFORM reelmark_count_usage(NEW.asset_id, NEW.segment_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER receipt_loras_usage AFTER INSERT ON receipt_loras
FOR EACH ROW EXECUTE FUNCTION reelmark_receipt_lora_usage();

-- Receipts written before this migration.
INSERT INTO asset_segment_usage (asset_id, segment_id, receipts)
SELECT asset_id, segment_id, sum(n) FROM (
    SELECT model_asset_id AS asset_id, segment_id, count(*) AS n FROM generation_receipts
        WHERE model_asset_id IS NOT NULL GROUP BY model_asset_id, segment_id
    UNION ALL
    SELECT workflow_asset_id, segment_id, count(*) FROM generation_receipts
        WHERE workflow_asset_id IS NOT NULL GROUP BY workflow_asset_id, segment_id
    UNION ALL
    SELECT asset_id, segment_id, count(*) FROM receipt_loras WHERE asset_id IS NOT NULL GROUP BY asset_id, segment_id
) usage GROUP BY asset_id, segment_id;
