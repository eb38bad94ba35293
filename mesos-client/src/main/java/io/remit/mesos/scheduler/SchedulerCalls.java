package io.remit.mesos.scheduler;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Collection;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Builders of the common scheduler calls, without {@code framework_id}: {@link SchedulerClient#send}
 * fills that in. Pure functions; thread-safe.
 */
public final class SchedulerCalls {

    private SchedulerCalls() {
    }

    /** ACCEPT: run {@code operations} on the offers; their unused resources are refused for {@code refuse}. */
    public static Call accept(Collection<OfferID> offerIds, Collection<Offer.Operation> operations, Duration refuse) {
        return Call.newBuilder()
                .setType(Call.Type.ACCEPT)
                .setAccept(Call.Accept.newBuilder()
                        .addAllOfferIds(offerIds)
                        .addAllOperations(operations)
                        .setFilters(refuseFor(refuse)))
                .build();
    }

    /** DECLINE: the master will not offer these resources to this framework again for {@code refuse}. */
    public static Call decline(Collection<OfferID> offerIds, Duration refuse) {
        return Call.newBuilder()
                .setType(Call.Type.DECLINE)
                .setDecline(Call.Decline.newBuilder().addAllOfferIds(offerIds).setFilters(refuseFor(refuse)))
                .build();
    }

    /** REVIVE: clears filters and resumes offers for {@code roles}, or for all roles when none are given. */
    public static Call revive(String... roles) {
        return Call.newBuilder()
                .setType(Call.Type.REVIVE)
                .setRevive(Call.Revive.newBuilder().addAllRoles(java.util.List.of(roles)))
                .build();
    }

    /** SUPPRESS: stops offers for {@code roles}, or for all roles when none are given. */
    public static Call suppress(String... roles) {
        return Call.newBuilder()
                .setType(Call.Type.SUPPRESS)
                .setSuppress(Call.Suppress.newBuilder().addAllRoles(java.util.List.of(roles)))
                .build();
    }

    /** KILL; {@code agentId} may be null when unknown. */
    public static Call kill(TaskID taskId, AgentID agentId) {
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(taskId);
        if (agentId != null) {
            kill.setAgentId(agentId);
        }
        return Call.newBuilder().setType(Call.Type.KILL).setKill(kill).build();
    }

    /** ACKNOWLEDGE an UPDATE whose status carried {@code uuid}. */
    public static Call acknowledge(AgentID agentId, TaskID taskId, ByteString uuid) {
        return Call.newBuilder()
                .setType(Call.Type.ACKNOWLEDGE)
                .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(agentId).setTaskId(taskId).setUuid(uuid))
                .build();
    }

    /** RECONCILE these tasks; an empty collection asks for implicit reconciliation of every task. */
    public static Call reconcile(Collection<Call.Reconcile.Task> tasks) {
        return Call.newBuilder()
                .setType(Call.Type.RECONCILE)
                .setReconcile(Call.Reconcile.newBuilder().addAllTasks(tasks))
                .build();
    }

    /** One task of an explicit RECONCILE; {@code agentId} may be null when unknown. */
    public static Call.Reconcile.Task reconcileTask(TaskID taskId, AgentID agentId) {
        Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder().setTaskId(taskId);
        if (agentId != null) {
            task.setAgentId(agentId);
        }
        return task.build();
    }

    /** MESSAGE: opaque bytes to an executor. */
    public static Call message(AgentID agentId, ExecutorID executorId, ByteString data) {
        return Call.newBuilder()
                .setType(Call.Type.MESSAGE)
                .setMessage(Call.Message.newBuilder().setAgentId(agentId).setExecutorId(executorId).setData(data))
                .build();
    }

    /** TEARDOWN: the master kills every task and forgets the framework. */
    public static Call teardown() {
        return Call.newBuilder().setType(Call.Type.TEARDOWN).build();
    }

    private static Filters refuseFor(Duration refuse) {
        return Filters.newBuilder().setRefuseSeconds(refuse.toNanos() / 1e9).build();
    }
}
