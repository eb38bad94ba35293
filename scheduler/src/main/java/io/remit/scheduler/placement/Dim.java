package io.remit.scheduler.placement;

/** The scalar resources placement packs by. CPUs are counted in thousandths. */
enum Dim {
    CPUS("cpus"), MEM("mem"), DISK("disk");

    final String label;

    Dim(String label) {
        this.label = label;
    }

    /** A quantity of this resource for a message: {@code 1.5} CPUs, {@code 2048 MB}. */
    String format(long amount) {
        if (this == CPUS) {
            return java.math.BigDecimal.valueOf(amount, 3).stripTrailingZeros().toPlainString();
        }
        return amount + " MB";
    }

    static long milliCpusOffered(double cpus) {
        return Math.max(0, (long) Math.floor(cpus * 1000 + 1e-6));
    }

    static long milliCpusNeeded(double cpus) {
        return Math.max(1, (long) Math.ceil(cpus * 1000 - 1e-6));
    }
}
