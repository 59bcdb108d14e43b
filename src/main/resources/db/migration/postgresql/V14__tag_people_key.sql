-- People written to a key of their own when the comment is JSON (ComfyUI's workflow stays byte-identical): the
-- planner caches the key's value (people_key: the mdta key com.reelmark.people or the Matroska PEOPLE tag), whether
-- the file holds an XMP packet (people are mirrored into Iptc4xmpExt:PersonInImage) and the ctime, so a same-size
-- edit that keeps the mtime (exiftool -P) still refreshes the cached read.
ALTER TABLE tag_file_cache ADD COLUMN people_key TEXT;
ALTER TABLE tag_file_cache ADD COLUMN has_xmp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tag_file_cache ADD COLUMN ctime_ms BIGINT NOT NULL DEFAULT 0;
-- Where an operation item writes its people (comment, mp4_key, matroska_tag) and the key's value before and after.
ALTER TABLE tag_operation_items ADD COLUMN people_target TEXT;
ALTER TABLE tag_operation_items ADD COLUMN previous_people TEXT;
ALTER TABLE tag_operation_items ADD COLUMN new_people TEXT;
-- A dry run is an operation of its own (a background job with per-file progress): each item's checks as JSON.
ALTER TABLE tag_operation_items ADD COLUMN checks TEXT;
-- A dry run is recorded as a write operation that writes nothing (operation_type keeps its two values).
ALTER TABLE tag_operations ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1));
