package org.tessera.orchestrator.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.tessera.orchestrator.access.persistence.ShareTokenQuery;
import org.tessera.orchestrator.access.persistence.ShareTokenRepository;
import org.tessera.orchestrator.access.persistence.ShareTokenRow;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.IdGenerator;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.SortOrder;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.tenancy.Caller;

/**
 * Share tokens: bearer secrets a user hands to others. The secret is shown once, at creation; only its SHA-256 is
 * stored. A token grants nothing by itself: a viewer grant with subject type {@code share_token} names what it opens.
 * Its creator (and the platform's super-admins) read and revoke it; to anyone else its id does not exist.
 */
@ApplicationScoped
public class ShareTokens {

    /** Marks the secrets so that they are recognisable in logs and secret scanners. */
    static final String PREFIX = "tst_";

    private static final int SECRET_BYTES = 32;

    private final SecureRandom random = new SecureRandom();

    @Inject
    DataSource dataSource;

    @Inject
    ShareTokenRepository tokens;

    @Inject
    IdGenerator ids;

    @Inject
    Clock clock;

    /** A new token and its secret, which is never available again. */
    public record Created(ShareTokenRow token, String secret) {}

    @Transactional(rollbackOn = Exception.class)
    public Created create(Caller caller, Instant expiresAt) throws SQLException {
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of("expires_at"), "expires_at_in_past", "must be in the future, got " + expiresAt));
        }
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ShareTokenRow token = new ShareTokenRow(
                ids.next(), sha256(secret), caller.userId(), caller.organizationId(), now, expiresAt, null, null);
        try (Connection c = dataSource.getConnection()) {
            tokens.insert(c, token);
        }
        return new Created(token, secret);
    }

    public ShareTokenRow read(Caller caller, UUID shareTokenId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return visible(c, caller, shareTokenId);
        }
    }

    /** Revokes the token: 404 when the caller may not see it, 409 when it is already revoked. */
    @Transactional(rollbackOn = Exception.class)
    public ShareTokenRow revoke(Caller caller, UUID shareTokenId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            visible(c, caller, shareTokenId);
            if (!tokens.revoke(c, shareTokenId, caller.userId(), clock.instant())) {
                throw new ApiException(
                        409,
                        "ACCESS.SHARE_TOKEN_ALREADY_REVOKED",
                        "Share token " + shareTokenId + " is already revoked");
            }
            return tokens.find(c, shareTokenId).orElseThrow();
        }
    }

    /**
     * The caller's own tokens (every token for super-admins), narrowed by the filters.
     *
     * @param createdBy a user id, or {@code me}
     */
    public List<ShareTokenRow> list(
            Caller caller, UUID runId, String createdBy, Boolean revoked, List<SortOrder> sort, Page page)
            throws SQLException {
        String creator = "me".equals(createdBy) ? caller.userId() : createdBy;
        ShareTokenQuery query = new ShareTokenQuery(
                caller.isSuperAdmin() ? null : caller.userId(), runId, creator, revoked, sort, page);
        try (Connection c = dataSource.getConnection()) {
            return tokens.list(c, query);
        }
    }

    /** The token a secret stands for, if it is neither revoked nor expired. */
    public Optional<ShareTokenRow> usable(Connection c, String secret) throws SQLException {
        Instant now = clock.instant();
        return tokens.bySecretHash(c, sha256(secret)).filter(token -> token.usableAt(now));
    }

    /** A token the caller may use in a grant: their own (any, for super-admins), not revoked, not expired. */
    public Optional<ShareTokenRow> grantable(Connection c, Caller caller, UUID shareTokenId) throws SQLException {
        Instant now = clock.instant();
        return tokens.find(c, shareTokenId)
                .filter(token -> mayManage(caller, token))
                .filter(token -> token.usableAt(now));
    }

    private ShareTokenRow visible(Connection c, Caller caller, UUID shareTokenId) throws SQLException {
        return tokens.find(c, shareTokenId)
                .filter(token -> mayManage(caller, token))
                .orElseThrow(() -> ApiException.notFound("Share token " + shareTokenId + " not found"));
    }

    private static boolean mayManage(Caller caller, ShareTokenRow token) {
        return caller.isSuperAdmin() || token.createdBy().equals(caller.userId());
    }

    static String sha256(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
