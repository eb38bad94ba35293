package io.remit.scheduler.plan;

import io.remit.scheduler.spec.ServiceSpec;
import java.util.List;
import java.util.Objects;

/**
 * What the planner needs of a service's spec.
 *
 * @param id the service id
 * @param revision the spec's revision; tasks with another revision are replaced
 * @param instances how many should run
 * @param dependencies services that need a healthy instance before this one launches
 * @param rollout while a deployment is under way, the counts per revision it wants now; null
 *     otherwise (every instance of {@code revision}, replaced one extra at a time)
 */
public record DesiredService(String id, String revision, int instances, List<String> dependencies, Rollout rollout) {

    public DesiredService(String id, String revision, int instances, List<String> dependencies) {
        this(id, revision, instances, dependencies, null);
    }

    public DesiredService {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(revision, "revision");
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }

    public static DesiredService of(ServiceSpec spec) {
        return new DesiredService(spec.id(), spec.revision(), spec.instances(), spec.dependencies());
    }
}
