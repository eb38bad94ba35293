package io.remit.scheduler.placement;

import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.Resources;
import java.util.List;
import java.util.Objects;

/**
 * Instances of one service waiting for offers.
 *
 * @param serviceId the service
 * @param resources what one instance needs, including its port names
 * @param constraints placement constraints, as in the spec (valid ones: see the validator)
 * @param count how many instances wait
 * @param priority demands with a higher priority are placed first; equal priorities keep the
 *     order of the list
 */
public record Demand(String serviceId, Resources resources, List<Constraint> constraints, int count, int priority) {

    public Demand {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(resources, "resources");
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
    }
}
