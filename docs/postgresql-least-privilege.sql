-- A least-privilege PostgreSQL role for the Reelmark server (see "Least-privilege PostgreSQL role" in the README).
--
-- The schema belongs to an owner role that runs the migrations (`reelmark db migrate --db <owner URL>`); the server
-- runs as an application role that may read and write rows but owns nothing, so it cannot run DDL (CREATE, ALTER,
-- DROP, DISABLE TRIGGER), TRUNCATE anything, or DELETE receipts, their LoRAs or the usage counts. Receipts still
-- leave with their segment: a foreign-key cascade runs with the rights of the table's owner.
--
-- Run as the owner, after creating the role and after every upgrade (it is idempotent):
--   psql "postgresql://owner@host/db" -v schema=reelmark -v app_role=reelmark_app -f docs/postgresql-least-privilege.sql
-- Create the application role once, as a role with CREATEROLE:
--   CREATE ROLE reelmark_app LOGIN PASSWORD '...';

REVOKE ALL ON ALL TABLES IN SCHEMA :"schema" FROM :"app_role";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA :"schema" FROM :"app_role";
REVOKE CREATE ON SCHEMA :"schema" FROM :"app_role";
GRANT USAGE ON SCHEMA :"schema" TO :"app_role";

-- every table: read and write rows (no TRUNCATE, REFERENCES or TRIGGER)
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA :"schema" TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA :"schema" TO :"app_role";

-- receipts: insert and read; of an update only the completion timing (the triggers allow it once, NULL -> value)
REVOKE UPDATE, DELETE ON :"schema".generation_receipts, :"schema".receipt_loras, :"schema".receipt_models,
    :"schema".receipt_source_files, :"schema".receipt_comfy_graphs FROM :"app_role";
GRANT UPDATE (generation_completed_at, generation_duration_ms, output_sha256, output_size) ON :"schema".generation_receipts TO :"app_role";

-- usage counts: written by the receipt triggers (INSERT ... ON CONFLICT DO UPDATE, in the server's session); rows
-- leave only by the cascade from segments
REVOKE DELETE ON :"schema".asset_segment_usage FROM :"app_role";

-- the migration history: read-only (the server checks the schema is up to date at start-up)
REVOKE INSERT, UPDATE, DELETE ON :"schema".flyway_schema_history FROM :"app_role";
