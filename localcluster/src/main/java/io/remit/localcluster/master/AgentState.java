package io.remit.localcluster.master;

import io.remit.localcluster.agent.AgentHandle;
import io.remit.localcluster.resources.Resources;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentInfo;

/** The master's record of one agent. Guarded by the master's lock. */
final class AgentState {

    final String id;
    final AgentInfo info;
    final AgentHandle handle;
    final Resources total;
    final Instant registeredAt;
    /** Resources held by offers, tasks and executors. */
    Resources allocated = Resources.EMPTY;
    /** Resources held by running executors, by framework id + "/" + executor id. */
    final Map<String, Resources> executors = new HashMap<>();

    AgentState(String id, AgentInfo info, AgentHandle handle, Resources total, Instant registeredAt) {
        this.id = id;
        this.info = info;
        this.handle = handle;
        this.total = total;
        this.registeredAt = registeredAt;
    }

    Resources available() {
        return total.minus(allocated);
    }
}
