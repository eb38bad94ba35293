package io.remit.mesos.executor;

import com.google.protobuf.ByteString;
import io.remit.mesos.fake.FakeMesos;
import java.util.HashMap;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/** A {@link FakeMesos} playing an agent's {@code /api/v1/executor}, plus the events it sends. */
final class FakeAgent {

    private FakeAgent() {
    }

    /** An agent answering each SUBSCRIBE with a stream starting with SUBSCRIBED. */
    static FakeMesos<Call> start() {
        FakeMesos<Call> agent = new FakeMesos<>("/api/v1/executor", Call::newBuilder,
                call -> call.getType() == Call.Type.SUBSCRIBE, false);
        agent.firstEvent(request -> subscribed(request.call()));
        return agent;
    }

    /** The environment a real agent at {@code agent} would give an executor. */
    static Map<String, String> env(FakeMesos<Call> agent, boolean checkpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("MESOS_FRAMEWORK_ID", "fw-1");
        env.put("MESOS_EXECUTOR_ID", "ex-1");
        env.put("MESOS_AGENT_ENDPOINT", "127.0.0.1:" + agent.port());
        env.put("MESOS_DIRECTORY", "/var/lib/mesos/slaves/a-1/frameworks/fw-1/executors/ex-1/runs/latest");
        env.put("MESOS_SANDBOX", "/mnt/mesos/sandbox");
        env.put("MESOS_CHECKPOINT", checkpoint ? "1" : "0");
        env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs");
        if (checkpoint) {
            env.put("MESOS_RECOVERY_TIMEOUT", "15mins");
            env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "50ms");
        }
        return env;
    }

    static Event subscribed(Call call) {
        return Event.newBuilder()
                .setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder()
                        .setExecutorInfo(ExecutorInfo.newBuilder().setExecutorId(call.getExecutorId()))
                        .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("foo").setName("fw").setId(call.getFrameworkId()))
                        .setAgentInfo(AgentInfo.newBuilder().setHostname("agent1").setId(AgentID.newBuilder().setValue("a-1"))))
                .build();
    }

    static TaskInfo task(String id) {
        return TaskInfo.newBuilder()
                .setName(id)
                .setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(AgentID.newBuilder().setValue("a-1"))
                .build();
    }

    static Event launch(String taskId) {
        return Event.newBuilder()
                .setType(Event.Type.LAUNCH)
                .setLaunch(Event.Launch.newBuilder().setTask(task(taskId)))
                .build();
    }

    static Event acknowledged(String taskId, ByteString uuid) {
        return Event.newBuilder()
                .setType(Event.Type.ACKNOWLEDGED)
                .setAcknowledged(Event.Acknowledged.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId)).setUuid(uuid))
                .build();
    }

    static Event kill(String taskId) {
        return Event.newBuilder()
                .setType(Event.Type.KILL)
                .setKill(Event.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId)))
                .build();
    }
}
