package dev.reelmark.auth;

/** What a route needs. Every route has exactly one, in {@link RoutePermissions}. */
public enum Permission {
    /** Anyone, even without credentials (the login route). */
    PUBLIC,
    /** Any authenticated caller, whatever its roles (who am I, log out). */
    AUTHENTICATED,
    /** Read and download. */
    READ,
    /** Catalog writes, metadata preview and regeneration. */
    EDIT,
    /** Deliveries, exports, tag write and rollback, deletes of scenes and segments. */
    LEAD,
    /** Receipts, the ledger, provenance import: render-farm and ComfyUI services. */
    PIPELINE,
    /** Users, project delete, ledger reset, templates, backup cleanup, the audit log. */
    ADMIN
}
