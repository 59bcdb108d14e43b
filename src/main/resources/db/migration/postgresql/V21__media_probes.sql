-- ffprobe's answers kept between runs, one row per real path; a row is used only while the file's size, mtime and
-- ctime are those it was made from (a re-rendered or re-tagged clip is probed again).
CREATE TABLE media_probes (
    path       TEXT PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    mtime_ms   BIGINT NOT NULL,
    ctime_ms   BIGINT NOT NULL,
    probe_json TEXT NOT NULL,
    probed_at  TEXT NOT NULL
);
