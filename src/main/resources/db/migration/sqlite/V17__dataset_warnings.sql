-- The problems a dataset export went on with (e.g. a split left empty), as a JSON array of {code, message}.
ALTER TABLE dataset_exports ADD COLUMN warnings_json TEXT CHECK (warnings_json IS NULL OR (json_valid(warnings_json) AND json_type(warnings_json) = 'array'));
