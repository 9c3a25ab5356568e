package org.tessera.orchestrator.quota;

/** An organization's limits, or those of one of its users, changed (and the change committed). */
public record LimitsChanged(String organizationId) {}
