package io.remit.scheduler.placement;

/**
 * A demand that could not be placed in full.
 *
 * @param serviceId the service
 * @param waiting how many of its instances are still waiting
 * @param reason why, for a human, e.g. {@code needs mem 2048 MB, largest offer 1024 MB}
 */
public record Unplaced(String serviceId, int waiting, String reason) {

    /** E.g. {@code payments: 2 instances waiting: needs mem 2048 MB, largest offer 1024 MB}. */
    public String message() {
        return serviceId + ": " + waiting + (waiting == 1 ? " instance" : " instances") + " waiting: " + reason;
    }

    @Override
    public String toString() {
        return message();
    }
}
