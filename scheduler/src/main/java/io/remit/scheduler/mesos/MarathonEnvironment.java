package io.remit.scheduler.mesos;

import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.TaskRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment Marathon gives an app's process, for a service in command mode
 * ({@link ServiceSpec#runsCommand()}), so that an app moved from Marathon finds what it reads:
 * {@code PORT0..PORTn} and {@code PORT} (= {@code PORT0}) in the order of {@code resources.ports},
 * {@code PORT_<NAME>} per port (name upper-cased, {@code -} as {@code _}), {@code PORTS}
 * (comma-separated), {@code HOST}, {@code MARATHON_APP_ID} ({@code /<id>}),
 * {@code MARATHON_APP_VERSION}, {@code MARATHON_APP_RESOURCE_CPUS/MEM/DISK},
 * {@code MARATHON_APP_LABELS} and {@code MARATHON_APP_LABEL_<NAME>}, {@code MESOS_TASK_ID}.
 * {@code MESOS_SANDBOX} comes from the agent. The spec's own {@code env} is applied on top. Pure.
 */
public final class MarathonEnvironment {

    private MarathonEnvironment() {}

    public static Map<String, String> of(ServiceSpec spec, TaskRecord task) {
        Map<String, String> env = new TreeMap<>();
        List<String> numbers = new ArrayList<>();
        List<String> names = spec.resources().ports();
        for (int i = 0; i < names.size(); i++) {
            Integer port = task.ports().get(names.get(i));
            if (port == null) {
                continue;
            }
            numbers.add(port.toString());
            env.put("PORT" + i, port.toString());
            env.put("PORT_" + variable(names.get(i)), port.toString());
        }
        if (!numbers.isEmpty()) {
            env.put("PORT", numbers.get(0));
            env.put("PORTS", String.join(",", numbers));
        }
        if (task.hostname() != null) {
            env.put("HOST", task.hostname());
        }
        env.put("MESOS_TASK_ID", task.taskId());
        env.put("MARATHON_APP_ID", "/" + spec.id());
        env.put("MARATHON_APP_VERSION", spec.version());
        env.put("MARATHON_APP_RESOURCE_CPUS", Double.toString(spec.resources().cpus()));
        env.put("MARATHON_APP_RESOURCE_MEM", Double.toString(spec.resources().memMb()));
        env.put("MARATHON_APP_RESOURCE_DISK", Double.toString(spec.resources().diskMb()));
        List<String> labelNames = new ArrayList<>();
        spec.labels().forEach((k, v) -> {
            String name = variable(k);
            if (!name.isEmpty()) { // variable() already made every other character '_'
                labelNames.add(name);
                env.put("MARATHON_APP_LABEL_" + name, v);
            }
        });
        env.put("MARATHON_APP_LABELS", String.join(" ", labelNames));
        spec.env().forEach((k, v) -> env.put(k, v.value()));
        return env;
    }

    /** {@code http-admin} as {@code HTTP_ADMIN}. */
    static String variable(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }
}
