package org.tessera.orchestrator.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MicrosTest {

    @Test
    void decimalsBecomeExactMillionths() {
        assertThat(Micros.of(new BigDecimal("4.00"))).isEqualTo(4_000_000L);
        assertThat(Micros.of(new BigDecimal("0.000001"))).isEqualTo(1L);
        assertThat(Micros.of(new BigDecimal("0.1"))).isEqualTo(100_000L);
        assertThat(Micros.of(new BigDecimal("0"))).isZero();
    }

    @Test
    void millionthsPrintWithAtLeastTwoDecimals() {
        assertThat(Micros.format(112_000_000L)).isEqualTo("112.00");
        assertThat(Micros.format(0)).isEqualTo("0.00");
        assertThat(Micros.format(125_000L)).isEqualTo("0.125");
        assertThat(Micros.format(1L)).isEqualTo("0.000001");
        assertThat(Micros.format(4_500_000L)).isEqualTo("4.50");
    }

    @Test
    void theWorkedExampleChargesTwentyEightSlidesAtFourEuros() {
        long perWsi = Micros.of(new BigDecimal("4.00"));
        long total = 0;
        for (int i = 0; i < 28; i++) {
            total += Micros.times(perWsi, 1);
        }
        assertThat(Micros.format(total)).isEqualTo("112.00");
    }

    @Test
    void tooManyDecimalsOrTooLargeAmountsAreRefused() {
        assertThatThrownBy(() -> Micros.of(new BigDecimal("0.0000001")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 6 decimal places");
        assertThatThrownBy(() -> Micros.of(new BigDecimal("1e20")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> Micros.times(Long.MAX_VALUE / 2, 3)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void trailingZerosBeyondSixPlacesAreFine() {
        assertThat(Micros.of(new BigDecimal("4.000000000"))).isEqualTo(4_000_000L);
    }
}
