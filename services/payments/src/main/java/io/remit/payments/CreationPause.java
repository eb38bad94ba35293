package io.remit.payments;

import io.remit.kit.Flags;

/**
 * The feature flag {@value #FLAG} ({@code /remit/flags/payments-paused} in etcd): while it is
 * enabled, new payments are refused with 503 and {@code Retry-After}, for every school or, when
 * its params name {@code schools}, only for those ({@code {"enabled": true, "params": {"schools":
 * ["oxford-brookes"]}}}). Reading, listing and events go on. Off without etcd.
 */
public final class CreationPause {

    public static final String FLAG = "payments-paused";

    private final Flags flags;

    public CreationPause(Flags flags) {
        this.flags = flags;
    }

    /** Whether new payments to {@code schoolId} are paused now. */
    public boolean pauses(String schoolId) {
        return flags.flag(FLAG).filter(flag -> flag.appliesTo("schools", schoolId)).isPresent();
    }
}
