package dev.reelmark.auth;

import dev.reelmark.errors.Conflict;
import dev.reelmark.errors.NotFound;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.reelmark.db.Database;
import dev.reelmark.db.SqlErrors;
import org.jdbi.v3.core.Handle;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * People, roles, API tokens and web sessions. Secrets (tokens, session ids) are 32 random bytes from
 * {@link SecureRandom}, handed out once and stored only as SHA-256; passwords are hashed with Argon2id.
 */
public final class AuthService {
    /** How long a web session lasts after login. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final AuthStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Argon2PasswordEncoder passwords = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    // a hash to verify against when the user does not exist, so a wrong name costs as long as a wrong password
    private final String decoyHash;

    public AuthService(Database db) {
        this(db, Clock.systemUTC());
    }

    public AuthService(Database db, Clock clock) {
        this.store = new AuthStore(db);
        this.clock = clock;
        this.decoyHash = passwords.encode("decoy");
    }

    /** A user as listed: name, roles, whether a password is set. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UserInfo(long id, String name, boolean hasPassword, Instant createdAt, List<Principal.Grant> roles) {
    }

    /** A token as listed (never its secret). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TokenInfo(long id, String user, String name, Instant createdAt, Instant expiresAt, Instant revokedAt,
                            Instant lastUsedAt) {
    }

    /** A token just made: its secret is shown this once. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NewToken(TokenInfo token, String secret) {
    }

    /** A web session just opened: the cookie secret and the CSRF token the client must echo on writes. */
    public record NewSession(Principal principal, String secret, String csrfToken, Instant expiresAt) {
    }

    public boolean hasUsers() {
        return store.hasUsers();
    }

    /** Creates a user with one role (global or for a project), an optional password and a first API token. */
    public NewToken addUser(String name, Role role, Long projectId, String password, Duration tokenLifetime) {
        checkName("name", name);
        if (password != null) checkPassword(password);
        String hash = password == null ? null : passwords.encode(password);
        try {
            return store.inTransaction(h -> {
                long id = store.insertUser(h, name, hash);
                store.setRole(h, id, role, projectId);
                return newToken(h, id, name, name, tokenLifetime);
            });
        } catch (RuntimeException e) {
            if (SqlErrors.isUniqueViolation(e)) throw Conflict.of("name", "a user named '" + name + "' already exists");
            throw e;
        }
    }

    public List<UserInfo> users() {
        return store.inTransaction(h -> store.users(h).stream()
                .map(u -> new UserInfo(u.id(), u.name(), u.passwordHash() != null, u.createdAt(), store.grants(h, u.id())))
                .toList());
    }

    public void removeUser(String name) {
        store.inTransaction(h -> store.deleteUser(h, userId(h, name)));
    }

    /** Sets the user's role at one scope; {@code role} null removes the role held at that scope. */
    public void setRole(String name, Role role, Long projectId) {
        store.inTransaction(h -> {
            long id = userId(h, name);
            if (role == null) {
                if (store.deleteRole(h, id, projectId) == 0) {
                    throw new IllegalArgumentException("user '" + name + "' has no role "
                            + (projectId == null ? "globally" : "on project " + projectId));
                }
            } else {
                store.setRole(h, id, role, projectId);
            }
            return null;
        });
    }

    public void setPassword(String name, String password) {
        checkPassword(password);
        String hash = passwords.encode(password);
        store.inTransaction(h -> {
            store.setPassword(h, userId(h, name), hash);
            return null;
        });
    }

    /** A new API token for a user; {@code lifetime} null never expires. */
    public NewToken createToken(String userName, String tokenName, Duration lifetime) {
        checkName("token name", tokenName);
        return store.inTransaction(h -> newToken(h, userId(h, userName), userName, tokenName, lifetime));
    }

    public List<TokenInfo> tokens(String userName) {
        return store.inTransaction(h -> store.tokens(h, userName == null ? null : userId(h, userName)).stream()
                .map(AuthService::info).toList());
    }

    public TokenInfo revokeToken(long id) {
        return store.inTransaction(h -> {
            store.token(h, id).orElseThrow(() -> new NotFound("not_found", "id", "no token with id " + id));
            store.revokeToken(h, id, clock.instant());
            return info(store.token(h, id).orElseThrow());
        });
    }

    /** The principal an {@code Authorization: Bearer} secret stands for, if it is known, unexpired and unrevoked. */
    public Optional<Principal> authenticateToken(String secret) {
        if (secret == null || secret.isBlank()) return Optional.empty();
        Instant now = clock.instant();
        return store.withHandle(h -> store.tokenByHash(h, sha256(secret.trim())).flatMap(t -> {
            if (t.revokedAt() != null || (t.expiresAt() != null && !now.isBefore(t.expiresAt()))) return Optional.empty();
            if (t.lastUsedAt() == null || t.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) store.touchToken(h, t.id(), now);
            return Optional.of(new Principal(t.userId(), t.userName(), "token", t.id(), t.name(), null, null,
                    store.grants(h, t.userId())));
        }));
    }

    /** Checks a name and password; a session on success. */
    public Optional<NewSession> login(String name, String password) {
        if (name == null || password == null) return Optional.empty();
        Optional<AuthStore.UserRow> user = store.withHandle(h -> store.user(h, name));
        String hash = user.map(AuthStore.UserRow::passwordHash).orElse(null);
        boolean ok = passwords.matches(password, hash != null ? hash : decoyHash) && hash != null;
        if (!ok) return Optional.empty();
        long userId = user.get().id();
        String secret = secret();
        String csrf = secret();
        Instant expires = clock.instant().plus(SESSION_LIFETIME);
        return Optional.of(store.inTransaction(h -> {
            long sessionId = store.insertSession(h, userId, sha256(secret), csrf, expires);
            Principal p = new Principal(userId, name, "session", null, null, sessionId, csrf, store.grants(h, userId));
            return new NewSession(p, secret, csrf, expires);
        }));
    }

    /** The principal a session cookie stands for, while the session lasts. */
    public Optional<Principal> authenticateSession(String secret) {
        if (secret == null || secret.isBlank()) return Optional.empty();
        Instant now = clock.instant();
        return store.withHandle(h -> store.sessionByHash(h, sha256(secret)).flatMap(s -> {
            if (!now.isBefore(s.expiresAt())) {
                store.deleteSession(h, s.id());
                return Optional.empty();
            }
            return store.userById(h, s.userId()).map(u -> new Principal(u.id(), u.name(), "session", null, null,
                    s.id(), s.csrfToken(), store.grants(h, u.id())));
        }));
    }

    public void logout(long sessionId) {
        store.inTransaction(h -> {
            store.deleteSession(h, sessionId);
            return null;
        });
    }

    /** Parses a lifetime like 90d, 12h, 30m; "never" means no expiry. */
    public static Duration parseLifetime(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("never")) return null;
        String t = text.trim().toLowerCase();
        try {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            if (n > 0 && n <= 36500) {
                switch (t.charAt(t.length() - 1)) {
                    case 'd': return Duration.ofDays(n);
                    case 'h': return Duration.ofHours(n);
                    case 'm': return Duration.ofMinutes(n);
                    default: break;
                }
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--expires must look like 90d, 12h or 30m (or 'never'), got '" + text + "'");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private NewToken newToken(Handle h, long userId, String userName, String tokenName, Duration lifetime) {
        String secret = "rmk_" + secret();
        Instant now = clock.instant();
        long id = store.insertToken(h, userId, tokenName, sha256(secret), now, lifetime == null ? null : now.plus(lifetime));
        return new NewToken(info(store.token(h, id).orElseThrow()), secret);
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private long userId(Handle h, String name) {
        return store.user(h, name).map(AuthStore.UserRow::id)
                .orElseThrow(() -> new NotFound("not_found", "name", "no user named '" + name + "'"));
    }

    private static TokenInfo info(AuthStore.TokenRow t) {
        return new TokenInfo(t.id(), t.userName(), t.name(), t.createdAt(), t.expiresAt(), t.revokedAt(), t.lastUsedAt());
    }

    private static void checkName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + " must be 1-64 letters, digits or . _ @ - (starting with a letter or digit), got '" + name + "'");
        }
    }

    private static void checkPassword(String password) {
        if (password.length() < 8 || password.length() > 1024) {
            throw new IllegalArgumentException("password must be 8 to 1024 characters");
        }
    }
}
