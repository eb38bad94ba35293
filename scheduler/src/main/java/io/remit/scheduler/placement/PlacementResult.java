package io.remit.scheduler.placement;

import java.util.List;
import java.util.Map;

/**
 * What to do with a round of offers.
 *
 * @param launches the instances to launch per offer id, for offers that got any, in the order the
 *     offers were given; an offer not in this map is unused (decline it)
 * @param unplaced every demand that could not be placed in full, in placement order
 */
public record PlacementResult(Map<String, List<Launch>> launches, List<Unplaced> unplaced) {

    public PlacementResult {
        launches = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(launches));
        unplaced = List.copyOf(unplaced);
    }

    /** How many instances are launched in total. */
    public int launchCount() {
        return launches.values().stream().mapToInt(List::size).sum();
    }
}
