-- Built-in sidecar templates that editors read by name: Avid merges ALE rows by Name, so the built-in ALE names each
-- clip "scene — clip (segment id)", unique in a project; the Resolve CSV's Clip Directory is relative to the package
-- unless the export asks for server paths. Same statement on both vendors (the JSON text casts to jsonb on PostgreSQL; is_builtin is 0/1 here).
UPDATE sidecar_templates
   SET template_json = '{"columns": [{"header": "Name", "field": "editorial_name"}, {"header": "Tracks", "field": "tracks"}, {"header": "Start", "field": "start_tc"}, {"header": "End", "field": "end_tc"}, {"header": "Source File", "field": "file_name"}, {"header": "Scene", "field": "scene"}, {"header": "Take", "field": "sequence_index"}, {"header": "Comments", "field": "prompt"}, {"header": "Quality", "field": "quality_score"}]}'
 WHERE name = 'Avid ALE' AND is_builtin = 1;
UPDATE sidecar_templates
   SET description = 'One row per clip for Media Pool > Import Metadata (matched by File Name; Clip Directory is relative to the package root, or the absolute server folder when exported with server_paths)'
 WHERE name = 'DaVinci Resolve Metadata CSV' AND is_builtin = 1;
