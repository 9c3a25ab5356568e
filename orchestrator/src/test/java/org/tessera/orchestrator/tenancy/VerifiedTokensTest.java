package org.tessera.orchestrator.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** A verified token is used again only while it is young and unexpired; failures are never remembered. */
class VerifiedTokensTest {

    private static final Instant START = Instant.parse("2026-12-05T10:00:00Z");
    private static final int SKEW = 30;

    /** Verifies every token it is given by looking it up: "good:<exp epoch second>", anything else fails. */
    private static final class CountingVerifier extends DefaultJWTParser {
        final Map<String, Integer> calls = new HashMap<>();

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            calls.merge(token, 1, Integer::sum);
            if (!token.startsWith("good:")) {
                throw new ParseException("bad token " + token);
            }
            long exp = Long.parseLong(token.substring("good:".length()));
            if (clock.instant().isAfter(Instant.ofEpochSecond(exp).plusSeconds(SKEW))) {
                throw new ParseException("expired " + token);
            }
            return new Token(exp);
        }

        Clock clock;
    }

    private record Token(long exp) implements JsonWebToken {
        @Override
        public String getName() {
            return "user";
        }

        @Override
        public Set<String> getClaimNames() {
            return Set.of("exp");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claimName) {
            return "exp".equals(claimName) ? (T) Long.valueOf(exp) : null;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final CountingVerifier verifier = new CountingVerifier();

    private VerifiedTokens tokens(int capacity) {
        verifier.clock = clock;
        return new VerifiedTokens(verifier, clock, SKEW, Duration.ofSeconds(60), capacity);
    }

    private static String goodUntil(Instant exp) {
        return "good:" + exp.getEpochSecond();
    }

    @Test
    void aTokenIsVerifiedOnceWhileItIsYoung() throws ParseException {
        VerifiedTokens tokens = tokens(100);
        String token = goodUntil(START.plusSeconds(3600));
        JsonWebToken first = tokens.parse(token);
        clock.advance(Duration.ofSeconds(59));
        assertThat(tokens.parse(token)).isSameAs(first);
        assertThat(verifier.calls.get(token)).isEqualTo(1);
    }

    @Test
    void aTokenIsVerifiedAgainOnceItsTimeToLiveHasPassed() throws ParseException {
        VerifiedTokens tokens = tokens(100);
        String token = goodUntil(START.plusSeconds(3600));
        tokens.parse(token);
        clock.advance(Duration.ofSeconds(60));
        tokens.parse(token);
        assertThat(verifier.calls.get(token)).isEqualTo(2);
    }

    @Test
    void anExpiredTokenIsRefusedEvenRightAfterItWasAccepted() throws ParseException {
        VerifiedTokens tokens = tokens(100);
        String token = goodUntil(START.plusSeconds(10));
        tokens.parse(token);
        clock.advance(Duration.ofSeconds(10 + SKEW - 1));
        tokens.parse(token);
        assertThat(verifier.calls.get(token))
                .as("still within exp plus the skew: remembered")
                .isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> tokens.parse(token)).isInstanceOf(ParseException.class);
        assertThat(verifier.calls.get(token)).isEqualTo(2);
    }

    @Test
    void aTokenThatFailsIsCheckedEveryTime() {
        VerifiedTokens tokens = tokens(100);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> tokens.parse("forged")).isInstanceOf(ParseException.class);
        }
        assertThat(verifier.calls.get("forged")).isEqualTo(3);
    }

    @Test
    void aFullCacheMakesRoomAndStillAnswersCorrectly() throws ParseException {
        VerifiedTokens tokens = tokens(2);
        String a = goodUntil(START.plusSeconds(1000));
        String b = goodUntil(START.plusSeconds(2000));
        String c = goodUntil(START.plusSeconds(3000));
        assertThat(tokens.parse(a).getExpirationTime()).isEqualTo(START.getEpochSecond() + 1000);
        assertThat(tokens.parse(b).getExpirationTime()).isEqualTo(START.getEpochSecond() + 2000);
        assertThat(tokens.parse(c).getExpirationTime()).isEqualTo(START.getEpochSecond() + 3000);
        assertThat(tokens.parse(a).getExpirationTime()).isEqualTo(START.getEpochSecond() + 1000);
        assertThat(verifier.calls.get(a))
                .as("evicted to make room, then verified again")
                .isEqualTo(2);
    }

    private static final class MutableClock extends Clock {
        private Instant now = START;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
