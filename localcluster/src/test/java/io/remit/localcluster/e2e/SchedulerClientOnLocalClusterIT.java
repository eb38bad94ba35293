package io.remit.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.localcluster.LocalCluster;
import io.remit.localcluster.master.MasterServer;
import io.remit.mesos.MediaType;
import io.remit.mesos.scheduler.SchedulerCalls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * mesos-client's {@code SchedulerClient} against the real localcluster, in both media types:
 * launch, acknowledge and kill a {@code sleep} task; fail over to a new client and reconcile;
 * follow a standby master's redirect; resubscribe on its own when the stream breaks or goes
 * silent.
 */
class SchedulerClientOnLocalClusterIT {

    @TempDir
    Path work;
    LocalCluster cluster;
    RecordingScheduler scheduler;

    private void startCluster(Duration heartbeat) throws Exception {
        cluster = LocalCluster.builder().freePorts().workDir(work).heartbeatInterval(heartbeat)
                .allocationInterval(Duration.ofMillis(200)).start();
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private RecordingScheduler subscribe(String masterUrl, MediaType type, FrameworkInfo framework) {
        RecordingScheduler s = RecordingScheduler.start(RecordingScheduler.config(masterUrl, type, framework).build());
        Event subscribed = s.next(Event.Type.SUBSCRIBED);
        assertThat(s.frameworkId()).isEqualTo(subscribed.getSubscribed().getFrameworkId());
        return s;
    }

    private TaskStatus launchSleeper(String taskId) {
        Offer offer = scheduler.offer();
        scheduler.send(Tasks.launch(offer, Tasks.command(offer, taskId, "sleep 1000")));
        return scheduler.reach(taskId, TaskState.TASK_RUNNING);
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void launchesAcknowledgesAndKillsACommandTask(MediaType type) throws Exception {
        startCluster(Duration.ofSeconds(15));
        scheduler = subscribe(cluster.masterUrl(), type, RecordingScheduler.framework("e2e-" + type));
        assertThat(scheduler.client.streamId()).isPresent();

        List<Offer> offers = scheduler.offers();
        assertThat(offers).hasSize(1);
        Offer offer = offers.get(0);
        assertThat(offer.getFrameworkId()).isEqualTo(scheduler.frameworkId());
        assertThat(offer.getResourcesList()).extracting(r -> r.getName()).contains("cpus", "mem", "disk", "ports");
        scheduler.send(Tasks.launch(offer, Tasks.command(offer, "sleeper", "sleep 1000")));

        // The agent holds TASK_RUNNING back until TASK_STARTING is acknowledged (retry: 10 s).
        TaskStatus starting = scheduler.nextStatus("sleeper", Duration.ofSeconds(8));
        assertThat(starting.getState()).isEqualTo(TaskState.TASK_STARTING);
        assertThat(starting.getUuid().size()).isEqualTo(16);
        assertThat(starting.getAgentId()).isEqualTo(offer.getAgentId());
        scheduler.acknowledge(starting);
        TaskStatus running = scheduler.nextStatus("sleeper", Duration.ofSeconds(8));
        assertThat(running.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(running.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        scheduler.acknowledge(running);

        scheduler.send(SchedulerCalls.kill(running.getTaskId(), running.getAgentId()));
        TaskStatus killed = scheduler.nextStatus("sleeper", Await.TIMEOUT);
        assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).isEqualTo("Command terminated with signal Terminated");
        scheduler.acknowledge(killed);
        Await.until("the agent to forget the acknowledged task", () -> cluster.agents().get(0).tasks().isEmpty());
        assertThat(ClusterHttp.state(cluster).path("frameworks").get(0).path("completed_tasks").get(0).path("state").asText())
                .isEqualTo("TASK_KILLED");
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void aNewClientWithTheSameFrameworkIdFailsOverAndReconcilesTheRunningTask(MediaType type) throws Exception {
        startCluster(Duration.ofMillis(300));
        scheduler = subscribe(cluster.masterUrl(), type, RecordingScheduler.framework("failover"));
        TaskStatus running = launchSleeper("keeper");
        FrameworkID id = scheduler.frameworkId();
        String oldStream = scheduler.client.streamId().orElseThrow();
        scheduler.close();
        assertThat(scheduler.nextDisconnect().resubscribing()).isFalse();

        FrameworkInfo again = RecordingScheduler.framework("failover").toBuilder().setId(id).build();
        scheduler = subscribe(cluster.masterUrl(), type, again);
        assertThat(scheduler.frameworkId()).isEqualTo(id);
        assertThat(scheduler.client.streamId()).isPresent().get().isNotEqualTo(oldStream);
        assertThat(cluster.master().frameworkIds()).containsExactly(id);

        scheduler.send(SchedulerCalls.reconcile(List.of(SchedulerCalls.reconcileTask(running.getTaskId(), null))));
        TaskStatus reconciled = scheduler.nextStatus("keeper", Await.TIMEOUT);
        assertThat(reconciled.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(reconciled.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
        assertThat(reconciled.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
        assertThat(reconciled.getAgentId()).isEqualTo(running.getAgentId());
        assertThat(reconciled.hasUuid()).as("reconciliation answers need no acknowledgement").isFalse();
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void followsAStandbyMastersRedirectToTheLeader(MediaType type) throws Exception {
        startCluster(Duration.ofSeconds(15));
        int leaderPort = cluster.master().info().getPort();
        try (MasterServer standby = MasterServer.standby(new InetSocketAddress("127.0.0.1", 0), "127.0.0.1:" + leaderPort)) {
            scheduler = subscribe("http://127.0.0.1:" + standby.port(), type, RecordingScheduler.framework("redirected"));
            assertThat(cluster.master().frameworkIds()).containsExactly(scheduler.frameworkId());
        }
        // The standby is gone: calls must now go to the leader the redirect named.
        TaskStatus running = launchSleeper("via-leader");
        assertThat(running.getState()).isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void resubscribesByItselfWithTheSameIdWhenTheMasterDropsTheStream() throws Exception {
        startCluster(Duration.ofMillis(300));
        scheduler = subscribe(cluster.masterUrl(), MediaType.PROTOBUF, RecordingScheduler.framework("dropped"));
        FrameworkID id = scheduler.frameworkId();
        String oldStream = scheduler.client.streamId().orElseThrow();

        assertThat(cluster.dropFrameworkStream(id)).isTrue();
        RecordingScheduler.Disconnect lost = scheduler.nextDisconnect();
        assertThat(lost.resubscribing()).isTrue();
        Event again = scheduler.next(Event.Type.SUBSCRIBED);
        assertThat(again.getSubscribed().getFrameworkId()).isEqualTo(id);
        assertThat(again.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(0.3);
        assertThat(scheduler.client.streamId()).isPresent().get().isNotEqualTo(oldStream);
        assertThat(cluster.master().frameworkIds()).containsExactly(id);
        assertThat(ClusterHttp.state(cluster).path("frameworks").get(0).path("connected").asBoolean()).isTrue();
    }

    @Test
    void theHeartbeatWatchdogResubscribesWhenTheStreamGoesSilent() throws Exception {
        startCluster(Duration.ofMillis(300));
        InetSocketAddress master = new InetSocketAddress("127.0.0.1", cluster.master().info().getPort());
        try (BlackHoleProxy partition = new BlackHoleProxy(master)) {
            scheduler = RecordingScheduler.start(RecordingScheduler.config("http://127.0.0.1:" + partition.port(),
                    MediaType.PROTOBUF, RecordingScheduler.framework("silenced")).heartbeatMisses(2).build());
            FrameworkID id = scheduler.next(Event.Type.SUBSCRIBED).getSubscribed().getFrameworkId();
            scheduler.next(Event.Type.HEARTBEAT);

            partition.swallowOpenConnections();
            RecordingScheduler.Disconnect silent = scheduler.nextDisconnect();
            assertThat(silent.reason()).startsWith("no event for");
            assertThat(silent.resubscribing()).isTrue();
            Event again = scheduler.next(Event.Type.SUBSCRIBED);
            assertThat(again.getSubscribed().getFrameworkId()).isEqualTo(id);
            assertThat(cluster.master().frameworkIds()).containsExactly(id);
        }
    }
}
