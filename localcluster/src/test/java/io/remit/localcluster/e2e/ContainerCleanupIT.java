package io.remit.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.localcluster.LocalCluster;
import io.remit.mesos.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a task started outlives it: when a command task or a custom executor ends, the agent
 * kills what it left running, even processes that were re-parented away from it (as Mesos
 * destroys the whole container when its executor exits).
 */
class ContainerCleanupIT {

    /** Starts a background sleep that outlives the shell, and says where: {@code bg.pid}. */
    private static final String LEAVE_A_CHILD_BEHIND = "sleep 1000 & echo $! > bg.pid";

    @TempDir
    Path work;
    LocalCluster cluster;
    RecordingScheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        cluster = LocalCluster.builder().freePorts().workDir(work).start();
        scheduler = RecordingScheduler.start(RecordingScheduler.config(cluster.masterUrl(), MediaType.PROTOBUF,
                RecordingScheduler.framework("cleanup")).build());
    }

    @AfterEach
    void stop() {
        scheduler.close();
        cluster.close();
    }

    @Test
    void aFinishedCommandTaskLeavesNoProcessBehind() throws Exception {
        Offer offer = scheduler.offer();
        scheduler.send(Tasks.launch(offer, Tasks.command(offer, "parent", LEAVE_A_CHILD_BEHIND)));
        TaskStatus finished = scheduler.reach("parent", TaskState.TASK_FINISHED);
        assertThat(finished.getMessage()).isEqualTo("Command exited with status 0");
        long child = backgroundPid("parent");
        Await.until("the task's background child " + child + " to be killed", () -> Await.exited(child));
    }

    @Test
    void anExecutorThatExitsLeavesNoProcessBehind() throws Exception {
        Offer offer = scheduler.offer();
        scheduler.send(Tasks.launch(offer, Tasks.onExecutor(offer, "orphaned",
                Tasks.executor("careless", LEAVE_A_CHILD_BEHIND + "; exit 0"))));
        TaskStatus failed = scheduler.reach("orphaned", TaskState.TASK_FAILED);
        assertThat(failed.getMessage()).isEqualTo("Executor terminated");
        long child = backgroundPid("careless");
        Await.until("the executor's background child " + child + " to be killed", () -> Await.exited(child));
    }

    /** The pid the command wrote to {@code bg.pid} in the sandbox of {@code executorId}. */
    private long backgroundPid(String executorId) throws IOException {
        Path executors = work.resolve("slaves").resolve(cluster.agents().get(0).info().getId().getValue())
                .resolve("frameworks").resolve(scheduler.frameworkId().getValue()).resolve("executors");
        try (Stream<Path> files = Files.walk(executors.resolve(executorId))) {
            Optional<Path> pidFile = files.filter(p -> p.getFileName().toString().equals("bg.pid")).findFirst();
            assertThat(pidFile).as("bg.pid in the sandbox").isPresent();
            return Long.parseLong(Files.readString(pidFile.get()).trim());
        }
    }
}
