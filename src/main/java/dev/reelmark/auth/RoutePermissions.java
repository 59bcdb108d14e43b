package dev.reelmark.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.reelmark.auth.Permission.ADMIN;
import static dev.reelmark.auth.Permission.AUTHENTICATED;
import static dev.reelmark.auth.Permission.EDIT;
import static dev.reelmark.auth.Permission.LEAD;
import static dev.reelmark.auth.Permission.PIPELINE;
import static dev.reelmark.auth.Permission.PUBLIC;
import static dev.reelmark.auth.Permission.READ;

/**
 * The one table of what every route needs: method + path pattern → permission and the entity its audit entries
 * name. A test checks that every operation of the OpenAPI document has a row; a route missing here needs ADMIN.
 */
public final class RoutePermissions {
    /** One row of the table. */
    public record Rule(String method, String pattern, Permission permission, String entity) {
    }

    /** A request matched to its rule, with the path parameters the pattern names. */
    public record Match(Rule rule, Map<String, String> pathParams) {
    }

    /** The catalog tables, by URL segment: generic CRUD whose deletes are the lead's where they cascade. */
    private static final Map<String, Permission> CATALOG_DELETE = new LinkedHashMap<>();

    static {
        CATALOG_DELETE.put("projects", ADMIN);
        CATALOG_DELETE.put("characters", LEAD);
        CATALOG_DELETE.put("images", LEAD);
        CATALOG_DELETE.put("image-variants", EDIT);
        CATALOG_DELETE.put("scene-types", EDIT);
        CATALOG_DELETE.put("scenes", LEAD);
        CATALOG_DELETE.put("segments", LEAD);
        CATALOG_DELETE.put("segment-quality", EDIT);
        CATALOG_DELETE.put("frame-metrics", EDIT);
        CATALOG_DELETE.put("assets", LEAD);
    }

    private static final List<Rule> RULES = buildRules();
    private static final List<Compiled> COMPILED = RULES.stream().map(Compiled::of)
            // literal segments win over parameters: /sidecar-templates/preview before /sidecar-templates/{id}
            .sorted(Comparator.comparingInt(Compiled::paramCount)).toList();

    private RoutePermissions() {
    }

    private static List<Rule> buildRules() {
        List<Rule> r = new ArrayList<>();
        // catalog CRUD
        CATALOG_DELETE.forEach((seg, deletePermission) -> {
            String entity = seg.replace('-', '_');
            r.add(new Rule("GET", "/api/" + seg, READ, entity));
            r.add(new Rule("POST", "/api/" + seg, EDIT, entity));
            r.add(new Rule("GET", "/api/" + seg + "/{id}", READ, entity));
            r.add(new Rule("PATCH", "/api/" + seg + "/{id}", EDIT, entity));
            r.add(new Rule("DELETE", "/api/" + seg + "/{id}", deletePermission, entity));
        });
        add(r, "GET", "/api/assets/{id}/versions", READ, "assets");
        add(r, "POST", "/api/assets/{id}/versions", EDIT, "assets");
        add(r, "GET", "/api/images/{id}/versions", READ, "images");
        add(r, "POST", "/api/images/{id}/versions", EDIT, "images");
        add(r, "GET", "/api/segments/{id}/media", READ, "segments");
        add(r, "GET", "/api/segments/{id}/thumbnail", READ, "segments");
        add(r, "GET", "/api/segments/{id}/video", READ, "segments");
        add(r, "GET", "/api/segments/{id}/video/proxy", READ, "segments");
        add(r, "GET", "/api/segment-labels", READ, "segments");
        add(r, "GET", "/api/characters/{id}/portrait", READ, "images");
        add(r, "POST", "/api/projects/{id}/thumbnails", EDIT, "thumbnails");
        add(r, "GET", "/api/media/images", EDIT, "images");
        add(r, "POST", "/api/characters/{id}/images/upload", EDIT, "images");
        add(r, "GET", "/api/segments/{id}/people", READ, "segment_people");
        add(r, "POST", "/api/segments/{id}/people", EDIT, "segment_people");
        add(r, "DELETE", "/api/segments/{id}/people/{personId}", EDIT, "segment_people");
        // jobs
        add(r, "GET", "/api/jobs", READ, "jobs");
        add(r, "GET", "/api/jobs/{id}", READ, "jobs");
        add(r, "GET", "/api/jobs/{id}/events", READ, "jobs");
        add(r, "POST", "/api/jobs/{id}/pause", EDIT, "jobs");
        add(r, "POST", "/api/jobs/{id}/resume", EDIT, "jobs");
        add(r, "POST", "/api/jobs/{id}/cancel", EDIT, "jobs");
        // generation ledger (render farm)
        add(r, "GET", "/api/ledger", READ, "ledger");
        add(r, "GET", "/api/ledger/{spotId}/{eraId}", READ, "ledger");
        add(r, "PUT", "/api/ledger/{spotId}/{eraId}", PIPELINE, "ledger");
        add(r, "PATCH", "/api/ledger/{spotId}/{eraId}", PIPELINE, "ledger");
        add(r, "POST", "/api/ledger/{spotId}/{eraId}/fail", PIPELINE, "ledger");
        add(r, "POST", "/api/ledger/generate", PIPELINE, "ledger");
        add(r, "POST", "/api/ledger/reset", ADMIN, "ledger");
        add(r, "POST", "/api/projects/{id}/ledger/mirror", PIPELINE, "ledger");
        // metadata files
        add(r, "GET", "/api/characters/{id}/metadata", READ, "metadata_files");
        add(r, "GET", "/api/characters/{id}/metadata/preview", EDIT, "metadata_files");
        add(r, "POST", "/api/characters/{id}/metadata/regenerate", EDIT, "metadata_files");
        add(r, "GET", "/api/scenes/{id}/metadata", READ, "metadata_files");
        add(r, "GET", "/api/scenes/{id}/metadata/preview", EDIT, "metadata_files");
        add(r, "POST", "/api/scenes/{id}/metadata/regenerate", EDIT, "metadata_files");
        add(r, "POST", "/api/projects/{id}/metadata/regenerate", EDIT, "metadata_files");
        add(r, "GET", "/api/projects/{id}/metadata/stale", READ, "metadata_files");
        add(r, "GET", "/api/projects/{id}/metadata/delivery-check", READ, "deliveries");
        add(r, "POST", "/api/projects/{id}/metadata/deliver", LEAD, "deliveries");
        add(r, "GET", "/api/projects/{id}/metadata/deliveries/{name}", READ, "deliveries");
        add(r, "GET", "/api/schemas/{name}", READ, "schemas");
        // tag writing (people in the videos' comment tag)
        add(r, "GET", "/api/metadata/plan", READ, "tag_plan");
        add(r, "POST", "/api/metadata/plan", EDIT, "tag_plan");
        add(r, "GET", "/api/metadata/plan/export", READ, "tag_plan");
        add(r, "POST", "/api/metadata/plan/{fileHash}/edit", LEAD, "tag_plan");
        add(r, "POST", "/api/metadata/plan/reread", EDIT, "tag_plan");
        add(r, "POST", "/api/metadata/write", LEAD, "tag_operations");
        add(r, "GET", "/api/metadata/operations/{id}", READ, "tag_operations");
        add(r, "POST", "/api/metadata/operations/{id}/pause", LEAD, "tag_operations");
        add(r, "POST", "/api/metadata/operations/{id}/resume", LEAD, "tag_operations");
        add(r, "POST", "/api/metadata/operations/{id}/cancel", LEAD, "tag_operations");
        add(r, "GET", "/api/metadata/history", READ, "tag_operations");
        add(r, "GET", "/api/metadata/history/{id}", READ, "tag_operations");
        add(r, "POST", "/api/metadata/history/{id}/rollback", LEAD, "tag_operations");
        add(r, "GET", "/api/metadata/backups/{itemId}", READ, "tag_backups");
        add(r, "POST", "/api/metadata/backups/cleanup", ADMIN, "tag_backups");
        // provenance (render farm, ComfyUI)
        add(r, "POST", "/api/segments/{id}/receipts", PIPELINE, "receipts");
        add(r, "POST", "/api/receipts/{id}/complete", PIPELINE, "receipts");
        add(r, "POST", "/api/provenance/import", PIPELINE, "receipts");
        add(r, "GET", "/api/segments/{id}/provenance", READ, "receipts");
        add(r, "GET", "/api/segments/{id}/credentials", READ, "receipts"); // content credentials (C2PA) of a clip
        add(r, "GET", "/api/assets/{id}/usage", READ, "receipts");
        add(r, "GET", "/api/projects/{id}/staleness-report", READ, "receipts");
        add(r, "GET", "/api/provenance/verify", READ, "receipts");
        add(r, "GET", "/api/receipts/{id}/comfy", READ, "receipts");
        add(r, "GET", "/api/provenance/drafts/{id}", READ, "regeneration_drafts");
        add(r, "GET", "/api/segments/{id}/regeneration-draft", READ, "regeneration_drafts");
        add(r, "POST", "/api/projects/{id}/regenerate-stale", EDIT, "regenerations");
        // VFX sidecars
        add(r, "GET", "/api/sidecar-fields", READ, "sidecar_templates");
        add(r, "GET", "/api/sidecar-templates", READ, "sidecar_templates");
        add(r, "POST", "/api/sidecar-templates", ADMIN, "sidecar_templates");
        add(r, "POST", "/api/sidecar-templates/preview", READ, "sidecar_templates");
        add(r, "GET", "/api/sidecar-templates/{id}", READ, "sidecar_templates");
        add(r, "PUT", "/api/sidecar-templates/{id}", ADMIN, "sidecar_templates");
        add(r, "DELETE", "/api/sidecar-templates/{id}", ADMIN, "sidecar_templates");
        add(r, "GET", "/api/sidecar-templates/{id}/preview", READ, "sidecar_templates");
        add(r, "POST", "/api/projects/{id}/export-sidecars", LEAD, "sidecar_exports");
        add(r, "GET", "/api/sidecar-exports/{id}/download", READ, "sidecar_exports");
        // training datasets
        add(r, "POST", "/api/projects/{id}/export-dataset", LEAD, "dataset_exports");
        add(r, "GET", "/api/projects/{id}/datasets", READ, "dataset_exports");
        add(r, "GET", "/api/projects/{id}/datasets/{datasetId}", READ, "dataset_exports");
        add(r, "GET", "/api/projects/{id}/datasets/{datasetId}/download", READ, "dataset_exports");
        add(r, "GET", "/api/projects/{id}/datasets/{datasetId}/files/{name}", READ, "dataset_exports");
        // the API document, people, the audit log
        add(r, "GET", "/api/openapi.json", READ, "openapi");
        add(r, "GET", "/api/events", READ, "events");
        add(r, "POST", "/api/auth/login", PUBLIC, "sessions");
        add(r, "POST", "/api/auth/logout", AUTHENTICATED, "sessions");
        add(r, "GET", "/api/auth/me", AUTHENTICATED, "sessions");
        add(r, "GET", "/api/audit", ADMIN, "audit_log");
        return List.copyOf(r);
    }

    private static void add(List<Rule> rules, String method, String pattern, Permission p, String entity) {
        rules.add(new Rule(method, pattern, p, entity));
    }

    /** Every row, in table order. */
    public static List<Rule> rules() {
        return RULES;
    }

    /** The row for exactly this method and declared pattern (the OpenAPI completeness test). */
    public static Optional<Rule> rule(String method, String pattern) {
        return RULES.stream().filter(r -> r.method().equalsIgnoreCase(method) && r.pattern().equals(pattern)).findFirst();
    }

    /** The row a concrete request path falls under, most literal pattern first. */
    public static Optional<Match> match(String method, String path) {
        for (Compiled c : COMPILED) {
            if (!c.rule.method().equalsIgnoreCase(method)) continue;
            Matcher m = c.regex.matcher(path);
            if (m.matches()) {
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 0; i < c.names.size(); i++) params.put(c.names.get(i), m.group(i + 1));
                return Optional.of(new Match(c.rule, params));
            }
        }
        return Optional.empty();
    }

    private record Compiled(Rule rule, Pattern regex, List<String> names) {
        static Compiled of(Rule rule) {
            List<String> names = new ArrayList<>();
            StringBuilder re = new StringBuilder();
            for (String seg : rule.pattern().substring(1).split("/")) {
                re.append('/');
                if (seg.startsWith("{") && seg.endsWith("}")) {
                    names.add(seg.substring(1, seg.length() - 1));
                    re.append("([^/]+)");
                } else {
                    re.append(Pattern.quote(seg));
                }
            }
            return new Compiled(rule, Pattern.compile(re + "/?"), List.copyOf(names));
        }

        int paramCount() {
            return names.size();
        }
    }
}
