package io.remit.scheduler.release.analysis;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers as a verdict's sentences write them: three significant digits, no exponent. */
final class Words {

    private Words() {}

    /** A share as a percentage: 0.2013 is {@code 20.1%}, 0.01 is {@code 1%}. */
    static String percent(double share) {
        return number(share * 100) + "%";
    }

    /** Milliseconds: {@code 620 ms}, {@code 12.5 ms}, {@code 1234 ms}. */
    static String ms(double millis) {
        return number(millis) + " ms";
    }

    /** A ratio: {@code 1.37x}. */
    static String ratio(double r) {
        return number(r) + "x";
    }

    /** A p-value: {@code 0.00033}, or {@code < 0.0001}. */
    static String p(double p) {
        return p < 0.0001 ? "< 0.0001" : "= " + new BigDecimal(p).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }

    /** Three significant digits, whole numbers from 1000 up. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (Math.abs(v) >= 1000) {
            return Long.toString(Math.round(v));
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
