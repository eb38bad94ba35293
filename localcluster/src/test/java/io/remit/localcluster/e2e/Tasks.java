package io.remit.localcluster.e2e;

import io.remit.mesos.scheduler.SchedulerCalls;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** TaskInfos and ACCEPTs as a scheduler builds them, small enough to fit any offer of the tests. */
final class Tasks {

    private Tasks() {
    }

    static List<Resource> small() {
        return List.of(scalar("cpus", 0.1), scalar("mem", 32));
    }

    static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    static TaskID id(String value) {
        return TaskID.newBuilder().setValue(value).build();
    }

    /** A plain command task ({@code sh -c command}) on the offer's agent. */
    static TaskInfo command(Offer offer, String taskId, String command) {
        return base(offer, taskId).setCommand(CommandInfo.newBuilder().setShell(true).setValue(command)).build();
    }

    /** A task run by the custom executor {@code executor} on the offer's agent. */
    static TaskInfo onExecutor(Offer offer, String taskId, ExecutorInfo executor) {
        return base(offer, taskId).setExecutor(executor).build();
    }

    /** A custom executor running {@code sh -c command}, with extra environment {@code env} (name, value, ...). */
    static ExecutorInfo executor(String executorId, String command, String... env) {
        CommandInfo.Builder cmd = CommandInfo.newBuilder().setShell(true).setValue(command);
        for (int i = 0; i + 1 < env.length; i += 2) {
            cmd.getEnvironmentBuilder().addVariablesBuilder().setName(env[i]).setValue(env[i + 1]);
        }
        return ExecutorInfo.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
                .setCommand(cmd)
                .addAllResources(small())
                .build();
    }

    /** ACCEPT of one offer with one LAUNCH of {@code tasks}; what is left is offered again at once. */
    static Call launch(Offer offer, TaskInfo... tasks) {
        Offer.Operation launch = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(List.of(tasks))).build();
        return SchedulerCalls.accept(List.of(offer.getId()), List.of(launch), Duration.ZERO);
    }

    private static TaskInfo.Builder base(Offer offer, String taskId) {
        return TaskInfo.newBuilder().setName(taskId).setTaskId(id(taskId)).setAgentId(offer.getAgentId())
                .addAllResources(small());
    }
}
