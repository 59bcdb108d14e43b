package dev.reelmark.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A person's or service's role, global or for one project; each grants a fixed set of permissions. */
public enum Role {
    VIEWER(EnumSet.of(Permission.READ)),
    EDITOR(EnumSet.of(Permission.READ, Permission.EDIT)),
    LEAD(EnumSet.of(Permission.READ, Permission.EDIT, Permission.LEAD)),
    PIPELINE(EnumSet.of(Permission.READ, Permission.PIPELINE)),
    ADMIN(EnumSet.of(Permission.READ, Permission.EDIT, Permission.LEAD, Permission.PIPELINE, Permission.ADMIN));

    private final Set<Permission> grants;

    Role(Set<Permission> grants) {
        this.grants = grants;
    }

    public boolean grants(Permission permission) {
        return grants.contains(permission);
    }

    /** The name used in the database, the CLI and JSON. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        if (text != null) {
            for (Role r : values()) {
                if (r.key().equals(text.trim().toLowerCase(Locale.ROOT))) return r;
            }
        }
        throw new IllegalArgumentException("--role must be one of viewer, editor, lead, pipeline, admin; got '" + text + "'");
    }
}
