package io.remit.scheduler.release;

import io.remit.scheduler.spec.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A deployment as the API, the event stream and the UI show it: no spec, so no secret. */
public final class DeploymentView {

    private DeploymentView() {}

    public static Map<String, Object> of(Deployment d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("service", d.service());
        m.put("strategy", d.strategy());
        m.put("state", d.state().text());
        m.put("reason", d.reason());
        m.put("from", revision(d.from(), d.fromVersion()));
        m.put("to", revision(d.to(), d.toVersion()));
        m.put("currentStep", Math.min(d.currentStep(), d.steps().size() - 1) + 1);
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int i = 0; i < d.steps().size(); i++) {
            Deployment.Step s = d.steps().get(i);
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", i + 1);
            step.put("kind", s.kind().name().toLowerCase(java.util.Locale.ROOT));
            step.put("instances", s.instances());
            step.put("weight", s.weight());
            step.put("pause", s.manual() ? "manual" : s.pause() == null ? null : Durations.format(s.pause()));
            step.put("analysis", s.analysis());
            step.put("describe", s.describe(d.steps().get(d.steps().size() - 1).instances()));
            step.put("status", status(d, i));
            step.values().removeIf(java.util.Objects::isNull);
            steps.add(step);
        }
        m.put("steps", steps);
        m.put("traffic", Deployments.traffic(d));
        m.put("progressDeadline", Durations.format(d.progressDeadline()));
        m.put("maxSurge", d.maxSurge());
        m.put("maxUnavailable", d.maxUnavailable());
        m.put("verdicts", d.verdicts());
        m.put("releaseId", d.releaseId());
        m.put("message", d.message());
        m.put("createdBy", d.createdBy());
        m.put("createdAt", String.valueOf(d.createdAt()));
        m.put("updatedAt", String.valueOf(d.updatedAt()));
        m.put("finishedAt", d.finishedAt() == null ? null : d.finishedAt().toString());
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    /**
     * Where step {@code i} is: {@code done}, {@code current}, {@code pending}; for a deployment that
     * ended short of success, its current step says how it ended ({@code rolled-back},
     * {@code failed}, {@code aborted}) and the ones after it {@code skipped}.
     */
    static String status(Deployment d, int i) {
        int current = d.currentStep();
        if (i < current || (i == current && d.state() == Deployment.State.SUCCEEDED)) {
            return "done";
        }
        if (i == current) {
            return d.state().ended() ? d.state().text() : d.state() == Deployment.State.ROLLING_BACK ? "rolling-back" : "current";
        }
        return d.state().ended() || d.state() == Deployment.State.ROLLING_BACK ? "skipped" : "pending";
    }

    private static Map<String, Object> revision(String revision, String version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("revision", revision);
        m.put("version", version);
        return m;
    }
}
