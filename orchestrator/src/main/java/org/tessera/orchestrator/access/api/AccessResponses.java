package org.tessera.orchestrator.access.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.UUID;
import org.tessera.orchestrator.access.ShareTokens;
import org.tessera.orchestrator.access.persistence.GrantRow;
import org.tessera.orchestrator.access.persistence.ShareTokenRow;

/** The response bodies of {@code /v1/access}, field for field as in the Aignostics Platform API 1.8.0. */
public final class AccessResponses {

    private AccessResponses() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record GrantReadResponse(
            UUID grantId,
            String resourceType,
            UUID resourceId,
            String subjectType,
            String subjectId,
            String relation,
            String createdBy,
            Instant createdAt,
            boolean revoked) {

        static GrantReadResponse of(GrantRow grant) {
            return new GrantReadResponse(
                    grant.grantId(),
                    grant.resourceType().wire(),
                    grant.resourceId(),
                    grant.subjectType().wire(),
                    grant.subjectId(),
                    grant.relation().wire(),
                    grant.createdBy(),
                    grant.createdAt(),
                    grant.revoked());
        }
    }

    /** Returned once, at creation: the only place the secret ever appears. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ShareTokenCreateResponse(
            UUID shareTokenId, String shareToken, Instant createdAt, Instant expiresAt, boolean revoked) {

        static ShareTokenCreateResponse of(ShareTokens.Created created) {
            ShareTokenRow token = created.token();
            return new ShareTokenCreateResponse(
                    token.shareTokenId(), created.secret(), token.createdAt(), token.expiresAt(), token.revoked());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ShareTokenReadResponse(UUID shareTokenId, Instant createdAt, Instant expiresAt, boolean revoked) {

        static ShareTokenReadResponse of(ShareTokenRow token) {
            return new ShareTokenReadResponse(
                    token.shareTokenId(), token.createdAt(), token.expiresAt(), token.revoked());
        }
    }
}
