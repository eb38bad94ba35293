package io.remit.scheduler.placement;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What {@link OfferDecider} wants done with a round of offers; the engine carries it out. */
public sealed interface OfferAction {

    /**
     * ACCEPT the offer with these instances. The engine gives each a task id, writes its record to
     * etcd, and only then sends the LAUNCH.
     */
    record Launch(OfferView offer, List<io.remit.scheduler.placement.Launch> instances) implements OfferAction {
        public Launch {
            Objects.requireNonNull(offer, "offer");
            instances = List.copyOf(instances);
            if (instances.isEmpty()) {
                throw new IllegalArgumentException("a launch needs at least one instance");
            }
        }
    }

    /**
     * DECLINE the offers, asking the master not to offer their resources again for {@code refuse}.
     *
     * @param withholds true when the refuse filter is the long one: the master then withholds these
     *     agents, so new demand must REVIVE (which clears every filter) to see them again
     */
    record Decline(List<String> offerIds, Duration refuse, boolean withholds) implements OfferAction {
        public Decline {
            offerIds = List.copyOf(offerIds);
            Objects.requireNonNull(refuse, "refuse");
        }
    }

    /** Ask for offers again (REVIVE): instances wait, and offers are suppressed or filtered. */
    record Revive() implements OfferAction {
    }

    /** Stop offers (SUPPRESS): nothing waits to be launched. */
    record Suppress() implements OfferAction {
    }
}
