package org.tessera.orchestrator.tenancy.domain;

/** What a user may do; see docs/organizations.md. */
public enum Role {
    /** A platform operator: registers organizations, sets their quotas, prices and applications. */
    SUPER_ADMIN,
    /** An organization's administrator: manages its users and reads its usage; runs like a member. */
    ADMIN,
    /** Submits runs and works with their own results. */
    MEMBER;

    public boolean atLeastAdmin() {
        return this != MEMBER;
    }
}
