package io.remit.scheduler.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.Constraint;
import io.remit.scheduler.spec.HealthCheck;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.Collection;
import java.util.List;

/**
 * A Remit spec and its instances as Marathon shows an app and its tasks, in the shapes
 * marathon-client 0.6.3 reads ({@code App}, {@code Task}). What it shows is what Remit does:
 * the upgrade strategy of one-at-a-time, new-before-old, Remit's relaunch backoff. A jar service
 * (no {@code cmd}) shows without {@code cmd}; its config and JVM options stay Remit's business.
 * Pure; thread-safe.
 */
public final class AppWriter {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AppWriter() {}

    /**
     * @param tasks the service's instances (others are skipped)
     * @param deploymentId the deployment under way ({@link MarathonDeployments}), or null for none
     * @param withTasks whether to embed the tasks (GET of one app)
     */
    public static ObjectNode app(ServiceSpec spec, Collection<TaskRecord> tasks, String deploymentId, boolean withTasks) {
        ObjectNode a = definition(spec, MarathonVersion.shown(spec.version()));
        List<TaskRecord> mine = tasks.stream().filter(t -> t.serviceId().equals(spec.id()) && t.state().isActive()).toList();
        a.put("tasksStaged", mine.stream().filter(t -> !running(t)).count());
        a.put("tasksRunning", mine.stream().filter(AppWriter::running).count());
        a.put("tasksHealthy", mine.stream().filter(t -> t.state() == TaskState.HEALTHY).count());
        a.put("tasksUnhealthy", mine.stream().filter(t -> t.state() == TaskState.RUNNING_UNHEALTHY).count());
        ArrayNode deployments = a.putArray("deployments");
        if (deploymentId != null) {
            deployments.addObject().put("id", deploymentId);
        }
        if (withTasks) {
            ArrayNode list = a.putArray("tasks");
            mine.forEach(t -> list.add(task(t, spec)));
        }
        return a;
    }

    /**
     * The app's definition alone, as Marathon answers for one of its versions
     * ({@code GET /v2/apps/{id}/versions/{version}}): no tasks, counts or deployments.
     *
     * @param version the version it is shown as
     */
    public static ObjectNode definition(ServiceSpec spec, String version) {
        ObjectNode a = F.objectNode();
        a.put("id", "/" + spec.id());
        if (spec.command() != null) {
            a.put("cmd", spec.command());
        }
        if (spec.args() != null) {
            spec.args().forEach(a.putArray("args")::add);
        }
        a.put("instances", spec.instances());
        a.put("cpus", spec.resources().cpus());
        a.put("mem", (double) spec.resources().memMb());
        a.put("disk", (double) spec.resources().diskMb());
        a.put("gpus", 0);
        ArrayNode ports = a.putArray("portDefinitions");
        spec.resources().ports().forEach(n -> ports.addObject().put("port", 0).put("protocol", "tcp").put("name", n));
        a.put("requirePorts", false);
        ObjectNode env = a.putObject("env");
        spec.env().forEach((k, v) -> env.put(k, v.display()));
        ObjectNode labels = a.putObject("labels");
        spec.labels().forEach(labels::put);
        ArrayNode constraints = a.putArray("constraints");
        for (Constraint c : spec.constraints()) {
            ArrayNode parts = constraints.addArray();
            c.toSpec().forEach(parts::add);
        }
        HealthCheck h = spec.healthCheck();
        a.putArray("healthChecks").addObject()
                .put("protocol", "HTTP")
                .put("path", h.path())
                .put("portIndex", Math.max(0, spec.resources().ports().indexOf(h.port())))
                .put("gracePeriodSeconds", h.gracePeriod().toSeconds())
                .put("intervalSeconds", h.interval().toSeconds())
                .put("timeoutSeconds", h.timeout().toSeconds())
                .put("maxConsecutiveFailures", h.consecutiveFailures())
                .put("ignoreHttp1xx", false);
        a.putObject("upgradeStrategy").put("minimumHealthCapacity", 1.0).put("maximumOverCapacity", 1.0);
        ArrayNode fetch = a.putArray("fetch");
        spec.artifacts().forEach(u -> fetch.addObject().put("uri", u).put("extract", spec.runsCommand())
                .put("executable", false).put("cache", false));
        ArrayNode deps = a.putArray("dependencies");
        spec.dependencies().forEach(d -> deps.add("/" + d));
        a.put("backoffSeconds", RefusedFields.BACKOFF_SECONDS);
        a.put("backoffFactor", RefusedFields.BACKOFF_FACTOR);
        a.put("maxLaunchDelaySeconds", RefusedFields.MAX_LAUNCH_DELAY_SECONDS);
        a.put("version", version);
        a.putObject("versionInfo").put("lastScalingAt", version).put("lastConfigChangeAt", version);
        return a;
    }

    private static boolean running(TaskRecord t) {
        return t.state() == TaskState.HEALTHY || t.state() == TaskState.RUNNING_UNHEALTHY;
    }

    /** One instance as a Marathon task; {@code spec} gives the order of its ports. */
    public static ObjectNode task(TaskRecord t, ServiceSpec spec) {
        ObjectNode o = F.objectNode();
        o.put("id", t.taskId());
        o.put("appId", "/" + t.serviceId());
        o.put("host", t.hostname());
        o.put("agentId", t.agentId());
        o.put("slaveId", t.agentId());
        ArrayNode ports = o.putArray("ports");
        List<String> names = spec == null ? List.copyOf(new java.util.TreeSet<>(t.ports().keySet())) : spec.resources().ports();
        names.forEach(n -> {
            if (t.ports().containsKey(n)) {
                ports.add(t.ports().get(n));
            }
        });
        o.putArray("servicePorts");
        o.put("state", t.mesosState() == null ? "TASK_STAGING" : t.mesosState());
        String launched = t.launchedAt() == null ? null : t.launchedAt().toString();
        o.put("stagedAt", launched);
        o.put("startedAt", running(t) ? launched : null);
        o.put("version", MarathonVersion.shown(t.version()));
        ArrayNode health = o.putArray("healthCheckResults");
        if (t.healthy() != null) {
            ObjectNode r = health.addObject().put("taskId", t.taskId()).put("alive", t.healthy())
                    .put("consecutiveFailures", 0);
            if (Boolean.TRUE.equals(t.healthy()) && t.updatedAt() != null) {
                r.put("lastSuccess", t.updatedAt().toString());
            }
            if (Boolean.FALSE.equals(t.healthy())) {
                r.put("lastFailureCause", t.message());
            }
        }
        return o;
    }
}
