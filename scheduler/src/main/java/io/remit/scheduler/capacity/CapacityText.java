package io.remit.scheduler.capacity;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** The capacity report as plain text, for {@code ./remit capacity} and a terminal. */
final class CapacityText {

    private CapacityText() {
    }

    static String render(CapacityPlanner.Report r, Instant at) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Remit capacity: %d agents, at %s%n%n", r.agents().size(), at));
        b.append(String.format(Locale.ROOT, "%-10s %12s %12s %12s %6s%n", "resource", "total", "allocated", "free", "used"));
        r.resources().forEach((name, line) -> b.append(String.format(Locale.ROOT, "%-10s %12s %12s %12s %5.0f%%%n", name,
                num(line.total()), num(line.allocated()), num(line.free()),
                line.total() == 0 ? 0.0 : 100.0 * line.allocated() / line.total())));
        b.append(String.format(Locale.ROOT, "%nby service%n"));
        usage(b, r.byService());
        b.append(String.format(Locale.ROOT, "%nby team%n"));
        usage(b, r.byTeam());
        Amounts other = r.otherFrameworks();
        b.append(String.format(Locale.ROOT, "%nother frameworks and unmanaged use: %s cpus, %d MB mem, %d MB disk, %d ports%n",
                num(other.cpus()), other.memMb(), other.diskMb(), other.ports()));
        CapacityPlanner.Fragmentation f = r.fragmentation();
        Amounts l = f.largestFree();
        b.append(String.format(Locale.ROOT, "%nfragmentation%n  largest free piece on one agent: %s cpus, %d MB mem, %d MB disk, %d ports%n",
                num(l.cpus()), l.memMb(), l.diskMb(), l.ports()));
        Amounts s = f.stranded();
        b.append(f.strandedAgents().isEmpty() ? "  stranded: none (every agent with free room fits some service)\n"
                : String.format(Locale.ROOT, "  stranded (too small for any service): %s cpus, %d MB mem on %s%n",
                        num(s.cpus()), s.memMb(), String.join(", ", f.strandedAgents())));
        b.append(String.format(Locale.ROOT, "%nroom for more instances now (ignoring constraints)%n"));
        for (CapacityPlanner.ShapeFit fit : f.fits()) {
            Amounts sh = fit.shape();
            b.append(String.format(Locale.ROOT, "  %-16s %6d   (each %s cpus, %d MB mem, %d ports, executor included)%n",
                    fit.service(), fit.moreInstances(), num(sh.cpus()), sh.memMb(), sh.ports()));
        }
        return b.toString();
    }

    private static void usage(StringBuilder b, Map<String, CapacityPlanner.Usage> usage) {
        if (usage.isEmpty()) {
            b.append("  (nothing running)\n");
            return;
        }
        b.append(String.format(Locale.ROOT, "  %-16s %9s %8s %8s %8s %6s%n", "", "instances", "cpus", "mem MB", "disk MB", "ports"));
        usage.forEach((name, u) -> b.append(String.format(Locale.ROOT, "  %-16s %9d %8s %8d %8d %6d%n", name, u.instances(),
                num(u.resources().cpus()), u.resources().memMb(), u.resources().diskMb(), u.resources().ports())));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
