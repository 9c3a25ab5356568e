package org.tessera.orchestrator.billing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Amounts of money as integer millionths of the platform's currency: what prices and ledger entries store, so that
 * sums are exact. Decimals are read and written as text ({@code "4.00"}), never as floating point.
 */
public final class Micros {

    public static final int SCALE = 6;

    private static final BigDecimal PER_UNIT = BigDecimal.ONE.movePointRight(SCALE);

    private Micros() {}

    /**
     * The millionths of a decimal amount.
     *
     * @throws IllegalArgumentException when the amount has more than six decimals or does not fit
     */
    public static long of(BigDecimal amount) {
        if (amount.stripTrailingZeros().scale() > SCALE) {
            throw new IllegalArgumentException("has more than " + SCALE + " decimal places: " + amount.toPlainString());
        }
        try {
            return amount.movePointRight(SCALE).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large: " + amount.toPlainString(), e);
        }
    }

    /** The amount as a decimal with at least two decimal places ({@code 4000000} → {@code 4.00}). */
    public static BigDecimal toDecimal(long micros) {
        BigDecimal exact = BigDecimal.valueOf(micros).divide(PER_UNIT).stripTrailingZeros();
        return exact.scale() < 2 ? exact.setScale(2, RoundingMode.UNNECESSARY) : exact;
    }

    /** {@link #toDecimal} as text, e.g. {@code "112.00"}, {@code "0.125"}. */
    public static String format(long micros) {
        return toDecimal(micros).toPlainString();
    }

    /** {@code wsis × pricePerWsi}, refusing to overflow. */
    public static long times(long pricePerWsiMicros, int wsis) {
        return Math.multiplyExact(pricePerWsiMicros, (long) wsis);
    }
}
