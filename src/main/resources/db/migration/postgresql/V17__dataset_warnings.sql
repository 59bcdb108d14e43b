-- The problems a dataset export went on with (e.g. a split left empty), as a JSON array of {code, message}.
ALTER TABLE dataset_exports ADD COLUMN warnings_json JSONB CHECK (warnings_json IS NULL OR jsonb_typeof(warnings_json) = 'array');
