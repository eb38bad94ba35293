package io.remit.payments;

import io.remit.kit.Flags;
import io.remit.registry.Flag;
import java.util.List;
import java.util.Optional;

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
        Optional<Flag> flag = flags.flag(FLAG).filter(Flag::enabled);
        if (flag.isEmpty()) {
            return false;
        }
        List<String> schools = flag.get().strings("schools");
        return schools.isEmpty() || schools.contains(schoolId);
    }
}
