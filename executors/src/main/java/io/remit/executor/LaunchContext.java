package io.remit.executor;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a task runs, as the agent described it: what the executor knows besides the launch spec.
 *
 * @param sandbox the task's sandbox, the service's working directory
 * @param env the executor's own environment, which the service inherits (minus secrets of the
 *     executor, see {@link TaskRunner})
 * @param java the java binary for the service
 * @param hostname the agent's hostname from SUBSCRIBED's {@code agent_info}: the discovery record's host
 * @param agentId the agent id
 * @param zone the agent's {@code zone} attribute, or {@code null}
 */
record LaunchContext(Path sandbox, Map<String, String> env, Path java, String hostname, String agentId, String zone) {

    LaunchContext {
        env = Map.copyOf(env);
    }
}
