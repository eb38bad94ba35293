package io.remit.scheduler.placement;

/** An inclusive range of port numbers from an offer's {@code ports} resource. */
public record PortRange(int begin, int end) {

    public PortRange {
        if (begin < 0 || end > 65535 || begin > end) {
            throw new IllegalArgumentException("invalid port range " + begin + "-" + end);
        }
    }

    public int size() {
        return end - begin + 1;
    }
}
