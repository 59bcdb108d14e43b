package dev.reelmark.auth;

import dev.reelmark.db.Database;
import dev.reelmark.db.Timestamps;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The only SQL on users, user_roles, api_tokens and sessions. */
final class AuthStore {
    private final Database db;

    AuthStore(Database db) {
        this.db = db;
    }

    record UserRow(long id, String name, String passwordHash, Instant createdAt) {
    }

    record TokenRow(long id, long userId, String userName, String name, Instant createdAt, Instant expiresAt,
                    Instant revokedAt, Instant lastUsedAt) {
    }

    record SessionRow(long id, long userId, String csrfToken, Instant expiresAt) {
    }

    <T> T inTransaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        return db.jdbi().inTransaction(work);
    }

    /** Reads (and the last-used touch) outside a transaction: on SQLite a transaction takes the write lock. */
    <T> T withHandle(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        return db.jdbi().withHandle(work);
    }

    boolean hasUsers() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM users)")
                .mapTo(Boolean.class).one());
    }

    long insertUser(Handle h, String name, String passwordHash) {
        return h.createQuery("INSERT INTO users (name, password_hash) VALUES (:name, :hash) RETURNING id")
                .bind("name", name).bind("hash", passwordHash).mapTo(Long.class).one();
    }

    Optional<UserRow> user(Handle h, String name) {
        return h.createQuery("SELECT id, name, password_hash, created_at FROM users WHERE name = :name")
                .bind("name", name)
                .map((rs, c) -> new UserRow(rs.getLong("id"), rs.getString("name"), rs.getString("password_hash"),
                        Timestamps.read(rs, "created_at")))
                .findOne();
    }

    List<UserRow> users(Handle h) {
        return h.createQuery("SELECT id, name, password_hash, created_at FROM users ORDER BY name")
                .map((rs, c) -> new UserRow(rs.getLong("id"), rs.getString("name"), rs.getString("password_hash"),
                        Timestamps.read(rs, "created_at")))
                .list();
    }

    int deleteUser(Handle h, long id) {
        return h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute();
    }

    void setPassword(Handle h, long userId, String hash) {
        h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id").bind("hash", hash).bind("id", userId).execute();
    }

    List<Principal.Grant> grants(Handle h, long userId) {
        return h.createQuery("SELECT role, project_id FROM user_roles WHERE user_id = :id ORDER BY project_id NULLS FIRST, role")
                .bind("id", userId)
                .map((rs, c) -> new Principal.Grant(Role.parse(rs.getString("role")),
                        rs.getObject("project_id") == null ? null : rs.getLong("project_id")))
                .list();
    }

    /** Sets the user's role at one scope (global or one project), replacing the one held there. */
    void setRole(Handle h, long userId, Role role, Long projectId) {
        deleteRole(h, userId, projectId);
        h.createUpdate("INSERT INTO user_roles (user_id, role, project_id) VALUES (:u, :r, :p)")
                .bind("u", userId).bind("r", role.key()).bind("p", projectId).execute();
    }

    int deleteRole(Handle h, long userId, Long projectId) {
        var update = h.createUpdate("DELETE FROM user_roles WHERE user_id = :u AND "
                + (projectId == null ? "project_id IS NULL" : "project_id = :p")).bind("u", userId);
        if (projectId != null) update.bind("p", projectId);
        return update.execute();
    }

    long insertToken(Handle h, long userId, String name, String hash, Instant createdAt, Instant expiresAt) {
        return h.createQuery("INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) "
                        + "VALUES (:u, :n, :h, :c, :e) RETURNING id")
                .bind("u", userId).bind("n", name).bind("h", hash)
                .bind("c", Timestamps.format(createdAt)).bind("e", Timestamps.format(expiresAt))
                .mapTo(Long.class).one();
    }

    private static final String TOKEN_SELECT = "SELECT t.id, t.user_id, u.name AS user_name, t.name, t.created_at, "
            + "t.expires_at, t.revoked_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id ";

    private static TokenRow tokenRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new TokenRow(rs.getLong("id"), rs.getLong("user_id"), rs.getString("user_name"), rs.getString("name"),
                Timestamps.read(rs, "created_at"), Timestamps.read(rs, "expires_at"),
                Timestamps.read(rs, "revoked_at"), Timestamps.read(rs, "last_used_at"));
    }

    Optional<TokenRow> tokenByHash(Handle h, String hash) {
        return h.createQuery(TOKEN_SELECT + "WHERE t.token_hash = :h").bind("h", hash)
                .map((rs, c) -> tokenRow(rs)).findOne();
    }

    Optional<TokenRow> token(Handle h, long id) {
        return h.createQuery(TOKEN_SELECT + "WHERE t.id = :id").bind("id", id).map((rs, c) -> tokenRow(rs)).findOne();
    }

    List<TokenRow> tokens(Handle h, Long userId) {
        var q = h.createQuery(TOKEN_SELECT + (userId == null ? "" : "WHERE t.user_id = :u ") + "ORDER BY t.id");
        if (userId != null) q.bind("u", userId);
        return q.map((rs, c) -> tokenRow(rs)).list();
    }

    void revokeToken(Handle h, long id, Instant at) {
        h.createUpdate("UPDATE api_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .bind("at", Timestamps.format(at)).bind("id", id).execute();
    }

    void touchToken(Handle h, long id, Instant at) {
        h.createUpdate("UPDATE api_tokens SET last_used_at = :at WHERE id = :id")
                .bind("at", Timestamps.format(at)).bind("id", id).execute();
    }

    long insertSession(Handle h, long userId, String hash, String csrf, Instant expiresAt) {
        return h.createQuery("INSERT INTO sessions (user_id, session_hash, csrf_token, expires_at) "
                        + "VALUES (:u, :h, :c, :e) RETURNING id")
                .bind("u", userId).bind("h", hash).bind("c", csrf).bind("e", Timestamps.format(expiresAt))
                .mapTo(Long.class).one();
    }

    Optional<SessionRow> sessionByHash(Handle h, String hash) {
        return h.createQuery("SELECT id, user_id, csrf_token, expires_at FROM sessions WHERE session_hash = :h")
                .bind("h", hash)
                .map((rs, c) -> new SessionRow(rs.getLong("id"), rs.getLong("user_id"), rs.getString("csrf_token"),
                        Timestamps.read(rs, "expires_at")))
                .findOne();
    }

    void deleteSession(Handle h, long id) {
        h.createUpdate("DELETE FROM sessions WHERE id = :id").bind("id", id).execute();
    }

    Optional<UserRow> userById(Handle h, long id) {
        return h.createQuery("SELECT id, name, password_hash, created_at FROM users WHERE id = :id").bind("id", id)
                .map((rs, c) -> new UserRow(rs.getLong("id"), rs.getString("name"), rs.getString("password_hash"),
                        Timestamps.read(rs, "created_at")))
                .findOne();
    }
}
