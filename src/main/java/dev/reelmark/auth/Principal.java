package dev.reelmark.auth;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Who is making a request: a user through an API token or a web session, or the local operator when no user
 * exists yet (loopback only). {@code via} says how: "token", "session", "local" or "cli".
 */
public record Principal(Long userId, String name, String via, Long tokenId, String tokenName, Long sessionId,
                        String csrfToken, List<Grant> grants) {
    /** One role, global ({@code projectId} null) or for one project. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Grant(Role role, Long projectId) {
    }

    /** The local operator of a server with no users: every right. */
    public static Principal local() {
        return new Principal(null, "local", "local", null, null, null, null, List.of(new Grant(Role.ADMIN, null)));
    }

    /**
     * Reads need any role (global or in any project); every other permission needs a global role that grants it
     * or one for the request's project.
     */
    public boolean may(Permission permission, Long projectId) {
        return switch (permission) {
            case PUBLIC -> true;
            case AUTHENTICATED -> true;
            case READ -> !grants.isEmpty();
            default -> grants.stream().anyMatch(g -> g.role().grants(permission)
                    && (g.projectId() == null || g.projectId().equals(projectId)));
        };
    }

    /** How audit entries name the credential: "token 3 (render-farm)", "session", "local". */
    public String viaLabel() {
        return tokenId != null ? "token " + tokenId + (tokenName != null ? " (" + tokenName + ")" : "") : via;
    }
}
