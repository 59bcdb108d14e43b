package dev.reelmark.sidecar;

import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import dev.reelmark.json.Json;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code sidecar_templates}, for both vendors. */
final class SidecarStore {
    private static final String COLUMNS = "id, name, description, format, target_tool, template_json, is_builtin, created_at, updated_at";
    private final Database db;

    SidecarStore(Database db) {
        this.db = db;
    }

    List<SidecarTemplate> list() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM sidecar_templates ORDER BY id")
                .map((rs, ctx) -> map(rs)).list());
    }

    Optional<SidecarTemplate> find(long id) {
        return db.jdbi().withHandle(h -> find(h, id));
    }

    private static Optional<SidecarTemplate> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM sidecar_templates WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    SidecarTemplate insert(String name, String description, String format, String targetTool, String templateJson) {
        return db.jdbi().inTransaction(h -> {
            long id = h.createQuery("INSERT INTO sidecar_templates (name, description, format, target_tool, template_json) "
                            + "VALUES (:name, :description, :format, :tool, :json) RETURNING id")
                    .bind("name", name).bind("description", description).bind("format", format)
                    .bind("tool", targetTool).bind("json", templateJson).mapTo(Long.class).one();
            return find(h, id).orElseThrow();
        });
    }

    /** Updates a custom template; empty when there is no such (non-built-in) row. */
    Optional<SidecarTemplate> update(long id, String name, String description, String format, String targetTool, String templateJson) {
        return db.jdbi().inTransaction(h -> {
            int n = h.createUpdate("UPDATE sidecar_templates SET name = :name, description = :description, format = :format, "
                            + "target_tool = :tool, template_json = :json WHERE id = :id AND is_builtin = :builtin")
                    .bind("name", name).bind("description", description).bind("format", format)
                    .bind("tool", targetTool).bind("json", templateJson).bind("id", id).bind("builtin", false).execute();
            return n == 0 ? Optional.<SidecarTemplate>empty() : find(h, id);
        });
    }

    boolean delete(long id) {
        return db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM sidecar_templates WHERE id = :id AND is_builtin = :builtin")
                .bind("id", id).bind("builtin", false).execute() > 0);
    }

    private static SidecarTemplate map(ResultSet rs) throws SQLException {
        return new SidecarTemplate(rs.getLong("id"), rs.getString("name"), rs.getString("description"), rs.getString("format"),
                rs.getString("target_tool"), Json.parse(rs.getString("template_json")), rs.getBoolean("is_builtin"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "updated_at"));
    }
}
