package org.tessera.orchestrator.access;

import java.util.UUID;
import org.tessera.orchestrator.access.domain.ResourceType;

/**
 * What access decisions need to know about a resource that can be shared.
 *
 * @param owner the user who submitted it
 * @param organizationId the organization it belongs to
 */
public record SharedResource(ResourceType type, UUID id, String owner, String organizationId) {}
