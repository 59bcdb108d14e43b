-- How each tagged file was written: in_place, moov_rewritten, shifted (MP4/MOV edited without re-muxing) or remux
-- (ffmpeg stream-copy rewrite). NULL for items that were not written.
ALTER TABLE tag_operation_items ADD COLUMN write_path TEXT;
