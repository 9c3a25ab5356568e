package org.tessera.orchestrator.access.domain;

/**
 * How a caller stands to one run, and what that lets them do (docs/organizations.md, "Roles" and "Sharing"). A caller
 * with no access must not learn that the run exists (404); one who can see the run but not do what they asked is
 * told so (403).
 */
public enum RunAccess {
    /** Submitted the run: reads, cancels, changes custom metadata, deletes outputs, shares. */
    OWNER,
    /** Administers the run's organization (or the platform): reads and shares. */
    ADMIN,
    /** Holds an active viewer grant, directly, through the organization, or through a share token: reads. */
    VIEWER,
    /** Nothing: the run is reported as not found. */
    NONE;

    /** The strongest access the facts give. */
    public static RunAccess of(boolean owner, boolean administers, boolean viewer) {
        if (owner) {
            return OWNER;
        }
        if (administers) {
            return ADMIN;
        }
        return viewer ? VIEWER : NONE;
    }

    /** Read the run, its items and download its outputs. */
    public boolean canRead() {
        return this != NONE;
    }

    /** Cancel, change custom metadata, delete outputs. */
    public boolean canChange() {
        return this == OWNER;
    }

    /** Create and revoke grants on the run. */
    public boolean canShare() {
        return this == OWNER || this == ADMIN;
    }
}
