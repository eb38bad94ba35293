package io.remit.localcluster.agent;

import java.nio.file.Path;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/** Where one executor (or command task) runs: its framework, executor id, container id and sandbox. */
record SandboxRun(FrameworkInfo framework, ExecutorID executorId, String containerId, Path sandbox) {
}
