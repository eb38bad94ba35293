package io.remit.executor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.remit.executor.api.LaunchSpec;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launches that do not get far: the executor refuses to start the service, naming the cause, or
 * the service ends by itself at once and the task ends with it.
 */
@ExtendWith(EtcdExtension.class)
class LaunchFailuresIT {

    @TempDir
    static Path work;
    static ExecutorHarness harness;

    @BeforeAll
    static void start(EtcdServer etcd) throws Exception {
        harness = ExecutorHarness.start(work, etcd);
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static HelloSpec hello() {
        return harness.hello("hello." + UUID.randomUUID().toString().substring(0, 8));
    }

    private static TaskStatus failedLaunch(LaunchSpec spec, boolean fetchHello) {
        harness.launch(spec, fetchHello);
        TaskStatus status = harness.next(spec.instanceId());
        assertThat(status.getState()).as(status.getMessage()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(harness.record(spec.instanceId())).isEmpty();
        return status;
    }

    @Test
    void aMissingArtifactIsNamed() {
        HelloSpec hello = hello();
        hello.artifact = "hello.jar";
        TaskStatus failed = failedLaunch(hello.build(), false);
        assertThat(failed.getMessage()).startsWith("cannot launch " + hello.taskId + ": artifact 'hello.jar' is not in the sandbox");
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
        assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    }

    @Test
    void aTakenPortIsNamed() throws Exception {
        HelloSpec hello = hello();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), hello.port("admin")));
            TaskStatus failed = failedLaunch(hello.build(), true);
            assertThat(failed.getMessage()).startsWith("cannot launch " + hello.taskId + ": port " + hello.port("admin")
                    + " (admin) is already in use on this host");
        }
    }

    @Test
    void aTemplateThatDoesNotRenderNamesThePlaceholder() {
        HelloSpec hello = hello();
        hello.config = HelloSpec.CONFIG + "grpc:\n  port: {{port.grpc}}\n";
        TaskStatus failed = failedLaunch(hello.build(), true);
        assertThat(failed.getMessage()).startsWith("cannot launch " + hello.taskId
                + ": config template: unknown placeholder {{port.grpc}} at line 16");
    }

    @Test
    void aSpecThatIsNotJsonIsRejectedAsInvalid() {
        HelloSpec hello = hello();
        LaunchSpec spec = hello.build();
        harness.launchRaw(spec, ByteString.copyFromUtf8("{\"serviceId\": \"hello\""));
        TaskStatus failed = harness.next(spec.instanceId());
        assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
        assertThat(failed.getMessage()).startsWith("invalid launch spec: not valid JSON");
    }

    @Test
    void aServiceThatExitsWithStatusZeroFinishesTheTask() {
        HelloSpec hello = hello();
        hello.jvmOptions.add("-version"); // java prints its version and exits 0 before looking at the jar
        LaunchSpec spec = hello.build();
        harness.launch(spec, true);
        assertThat(harness.next(spec.instanceId()).getState()).isEqualTo(TaskState.TASK_STARTING);
        TaskStatus finished = harness.next(spec.instanceId());
        assertThat(finished.getState()).as(finished.getMessage()).isEqualTo(TaskState.TASK_FINISHED);
        assertThat(finished.getMessage()).isEqualTo("the service exited by itself, exit status 0");
    }

    @Test
    void aServiceThatRejectsItsConfigFailsTheTaskWithItsOwnWords() {
        HelloSpec hello = hello();
        hello.config = HelloSpec.CONFIG + "bogusSetting: 1\n";
        LaunchSpec spec = hello.build();
        harness.launch(spec, true);
        assertThat(harness.next(spec.instanceId()).getState()).isEqualTo(TaskState.TASK_STARTING);
        TaskStatus failed = harness.next(spec.instanceId());
        assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.getMessage()).startsWith("the service exited by itself, exit status 1; its last ")
                .contains("Unrecognized field \"bogusSetting\"");
        assertThat(harness.record(spec.instanceId())).isEmpty();
    }
}
