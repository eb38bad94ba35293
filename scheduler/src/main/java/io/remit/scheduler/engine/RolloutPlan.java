package io.remit.scheduler.engine;

import io.remit.scheduler.plan.Rollout;
import io.remit.scheduler.spec.ServiceSpec;
import java.util.Map;

/**
 * What a deployment wants of one service now: the counts per revision, and the spec of each
 * revision other than the current one, to start more of it (a canary's old instances refilled, a
 * rollback).
 */
public record RolloutPlan(Rollout rollout, Map<String, ServiceSpec> specs) {

    public RolloutPlan {
        specs = specs == null ? Map.of() : Map.copyOf(specs);
    }
}
