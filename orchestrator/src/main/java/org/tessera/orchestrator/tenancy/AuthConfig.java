package org.tessera.orchestrator.tenancy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Set;

/** {@code tessera.auth.*}: what proves a second factor in a token, and how long a verified token is remembered. */
@ConfigMapping(prefix = "tessera.auth")
public interface AuthConfig {

    /** The claim listing the authentication methods (OIDC {@code amr}). */
    @WithName("mfa-claim")
    @WithDefault("amr")
    String mfaClaim();

    /** Values of that claim that prove a second factor (RFC 8176 method names). */
    @WithName("mfa-values")
    @WithDefault("mfa,otp,hwk,swk,sms,fpt,face,iris")
    Set<String> mfaValues();

    /**
     * How long a token that passed verification is used again without it ({@link VerifiedTokens}); never past its
     * {@code exp} plus the clock skew.
     */
    @WithName("verified-token-ttl")
    @WithDefault("PT60S")
    Duration verifiedTokenTtl();

    /** How many verified tokens are remembered at once. */
    @WithName("verified-tokens")
    @WithDefault("10000")
    int verifiedTokens();
}
