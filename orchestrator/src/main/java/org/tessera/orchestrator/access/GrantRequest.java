package org.tessera.orchestrator.access;

import java.util.UUID;
import org.tessera.orchestrator.access.domain.GrantRelation;
import org.tessera.orchestrator.access.domain.ResourceType;
import org.tessera.orchestrator.access.domain.SubjectType;

/** A well-formed {@code GrantCreateRequest}; whether it may be granted is decided by {@link Grants}. */
public record GrantRequest(
        ResourceType resourceType,
        UUID resourceId,
        SubjectType subjectType,
        String subjectId,
        String subjectEmail,
        GrantRelation relation) {}
