package io.remit.payments;

import io.remit.kit.Flags;

/**
 * The feature flag {@value #FLAG} ({@code /remit/flags/fee-waiver} in etcd): while it is enabled,
 * new payments to the schools its params name ({@code {"enabled": true, "params": {"schools":
 * ["eth-zurich"]}}}), or to every school when it names none, carry no fee: the payer pays the
 * converted amount only, and the payment's first event says the fee was waived. Read at each
 * payment, so a flip applies at once on every instance, without a restart. Off without etcd.
 */
public final class FeeWaiver {

    public static final String FLAG = "fee-waiver";

    /** No waiver ever: for tests and services without flags. */
    public static final FeeWaiver NONE = new FeeWaiver(Flags.none());

    private final Flags flags;

    public FeeWaiver(Flags flags) {
        this.flags = flags;
    }

    /** Whether new payments to {@code schoolId} pay no fee now. */
    public boolean waives(String schoolId) {
        return flags.flag(FLAG).filter(flag -> flag.appliesTo("schools", schoolId)).isPresent();
    }
}
