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
 * @param executorPort whether each instance's executor needs a port of its own besides
 *     {@code resources}' ({@link Launch#executorPort()})
 */
public record Demand(String serviceId, Resources resources, List<Constraint> constraints, int count, int priority,
                     boolean executorPort) {

    /** Instances whose executors need no port. */
    public Demand(String serviceId, Resources resources, List<Constraint> constraints, int count, int priority) {
        this(serviceId, resources, constraints, count, priority, false);
    }

    public Demand {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(resources, "resources");
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
    }
}
