package io.remit.scheduler.capacity;

/** An amount of each resource capacity counts: CPUs, memory and disk in MB, and a number of ports. */
public record Amounts(double cpus, long memMb, long diskMb, long ports) {

    public static final Amounts ZERO = new Amounts(0, 0, 0, 0);

    public Amounts plus(Amounts o) {
        return new Amounts(round(cpus + o.cpus), memMb + o.memMb, diskMb + o.diskMb, ports + o.ports);
    }

    public Amounts minus(Amounts o) {
        return new Amounts(round(Math.max(0, cpus - o.cpus)), Math.max(0, memMb - o.memMb), Math.max(0, diskMb - o.diskMb),
                Math.max(0, ports - o.ports));
    }

    public Amounts times(int n) {
        return new Amounts(round(cpus * n), memMb * n, diskMb * n, ports * n);
    }

    /** Whether {@code shape} fits in this amount. */
    public boolean fits(Amounts shape) {
        return cpus + 1e-9 >= shape.cpus && memMb >= shape.memMb && diskMb >= shape.diskMb && ports >= shape.ports;
    }

    /** How many of {@code shape} fit in this amount. */
    public long howMany(Amounts shape) {
        long n = Long.MAX_VALUE;
        if (shape.cpus > 0) {
            n = Math.min(n, (long) Math.floor((cpus + 1e-9) / shape.cpus));
        }
        if (shape.memMb > 0) {
            n = Math.min(n, memMb / shape.memMb);
        }
        if (shape.diskMb > 0) {
            n = Math.min(n, diskMb / shape.diskMb);
        }
        if (shape.ports > 0) {
            n = Math.min(n, ports / shape.ports);
        }
        return n == Long.MAX_VALUE ? 0 : n;
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
