-- Reverse-provenance counts that scale with segments, not receipts (SQLite flavour; postgresql/V7 is the same design).
-- asset_segment_usage holds one row per (asset version, segment) that a receipt used, with how many receipts did,
-- maintained by insert triggers on the write-once receipt tables. "How many receipts and segments used LoRA v1" is
-- then a range of at most one row per segment, whatever the number of receipts. Rows leave with their segment
-- (ON DELETE CASCADE), the only way receipts leave; receipts are never updated (V4's triggers), so inserts are the
-- only change to follow.
CREATE TABLE asset_segment_usage (
    asset_id   INTEGER NOT NULL,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    receipts   INTEGER NOT NULL CHECK (receipts > 0),
    PRIMARY KEY (asset_id, segment_id)
) WITHOUT ROWID; -- clustered by (asset_id, segment_id): an asset's rows, with their counts, are one contiguous range
CREATE INDEX idx_asset_segment_usage_segment ON asset_segment_usage(segment_id);

CREATE TRIGGER generation_receipts_usage AFTER INSERT ON generation_receipts
FOR EACH ROW
BEGIN
    INSERT INTO asset_segment_usage (asset_id, segment_id, receipts)
        SELECT NEW.model_asset_id, NEW.segment_id, 1 WHERE NEW.model_asset_id IS NOT NULL
        ON CONFLICT (asset_id, segment_id) DO UPDATE SET receipts = receipts + 1;
    INSERT INTO asset_segment_usage (asset_id, segment_id, receipts)
        SELECT NEW.workflow_asset_id, NEW.segment_id, 1 WHERE NEW.workflow_asset_id IS NOT NULL
        ON CONFLICT (asset_id, segment_id) DO UPDATE SET receipts = receipts + 1;
END;

CREATE TRIGGER receipt_loras_usage AFTER INSERT ON receipt_loras
FOR EACH ROW WHEN NEW.asset_id IS NOT NULL
BEGIN
    INSERT INTO asset_segment_usage (asset_id, segment_id, receipts)
        SELECT NEW.asset_id, NEW.segment_id, 1 WHERE true
        ON CONFLICT (asset_id, segment_id) DO UPDATE SET receipts = receipts + 1;
END;

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
) GROUP BY asset_id, segment_id;
