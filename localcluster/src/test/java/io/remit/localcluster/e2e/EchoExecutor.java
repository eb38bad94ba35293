package io.remit.localcluster.e2e;

import io.remit.mesos.MediaType;
import io.remit.mesos.executor.ExecutorClient;
import io.remit.mesos.executor.ExecutorConfig;
import io.remit.mesos.executor.ExecutorEnvironment;
import io.remit.mesos.executor.ExecutorListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The smallest custom executor on mesos-client's {@code ExecutorClient}, run by the agent as a
 * child JVM in the tests. It writes its environment to {@code env.txt} in its sandbox; on LAUNCH
 * it reports TASK_RUNNING with its pid in the message; on KILL it reports TASK_KILLED and exits
 * once it has no task left; on SHUTDOWN it reports TASK_KILLED for every task and exits; a
 * MESSAGE it sends straight back. When it loses the agent it exits, unless its framework
 * checkpoints: then it keeps resubscribing (mesos-client's client does) so it can reconnect to a
 * restarted agent, or, with {@code ECHO_DEAF=1}, it stops trying and lingers, as a hung executor
 * would. With {@code ECHO_CHILD=1} it starts a child process ({@code sleep}) and writes its pid
 * to {@code child.pid}. The media type it speaks is {@code ECHO_MEDIA_TYPE} (default protobuf).
 */
public final class EchoExecutor implements ExecutorListener {

    static final String ENV_FILE = "env.txt";
    static final String CHILD_PID_FILE = "child.pid";

    private final Set<TaskID> tasks = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private ExecutorClient client;
    private boolean deaf;

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        writeEnvironment(Path.of(env.getOrDefault("MESOS_SANDBOX", ".")), env);
        System.out.println("echo executor " + ProcessHandle.current().pid() + " starting");
        MediaType type = MediaType.valueOf(env.getOrDefault("ECHO_MEDIA_TYPE", MediaType.PROTOBUF.name()));
        if ("1".equals(env.get("ECHO_CHILD"))) {
            Process child = new ProcessBuilder("sleep", "100000").start();
            Path sandbox = Path.of(env.getOrDefault("MESOS_SANDBOX", "."));
            Files.writeString(sandbox.resolve(CHILD_PID_FILE + ".tmp"), Long.toString(child.pid()));
            Files.move(sandbox.resolve(CHILD_PID_FILE + ".tmp"), sandbox.resolve(CHILD_PID_FILE),
                    StandardCopyOption.ATOMIC_MOVE);
        }
        EchoExecutor executor = new EchoExecutor();
        executor.deaf = "1".equals(env.get("ECHO_DEAF"));
        ExecutorConfig config = ExecutorConfig.builder(ExecutorEnvironment.fromSystem()).mediaType(type).build();
        executor.client = new ExecutorClient(config, executor);
        executor.client.start();
        int status = executor.exit.get();
        executor.client.close();
        System.out.println("echo executor exiting with " + status);
        System.exit(status);
    }

    /** Writes {@code env} as sorted {@code NAME=value} lines, atomically, so a reader never sees half of it. */
    private static void writeEnvironment(Path sandbox, Map<String, String> env) throws IOException {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(env).forEach((k, v) -> lines.add(k + "=" + v));
        Path tmp = sandbox.resolve(ENV_FILE + ".tmp");
        Files.write(tmp, lines);
        Files.move(tmp, sandbox.resolve(ENV_FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void received(Event event) {
        switch (event.getType()) {
            case LAUNCH -> {
                TaskID id = event.getLaunch().getTask().getTaskId();
                tasks.add(id);
                client.update(status(id, TaskState.TASK_RUNNING, "pid " + ProcessHandle.current().pid()));
            }
            case KILL -> {
                TaskID id = event.getKill().getTaskId();
                tasks.remove(id);
                boolean last = tasks.isEmpty();
                // Once the agent has taken the update (202), it is the agent's to deliver.
                client.update(status(id, TaskState.TASK_KILLED, "killed by the echo executor"))
                        .whenComplete((ok, failure) -> {
                            if (last) {
                                exit.complete(failure == null ? 0 : 1);
                            }
                        });
            }
            case SHUTDOWN -> {
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (TaskID id : tasks) {
                    sent.add(client.update(status(id, TaskState.TASK_KILLED, "shut down by the echo executor")));
                }
                tasks.clear();
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                        .whenComplete((ok, failure) -> exit.complete(failure == null ? 0 : 1));
            }
            case MESSAGE -> client.message(event.getMessage().getData());
            case ERROR -> System.err.println("agent sent ERROR: " + event.getError().getMessage());
            default -> { }
        }
    }

    @Override
    public void disconnected(String reason, boolean resubscribing) {
        System.err.println("lost the agent: " + reason + (resubscribing ? "; resubscribing" : ""));
        if (resubscribing && deaf) {
            System.err.println("not resubscribing: deaf");
            client.close();
        } else if (!resubscribing) {
            exit.complete(2);
        }
    }

    @Override
    public void recoveryTimedOut(Duration recoveryTimeout) {
        exit.complete(3);
    }

    private static TaskStatus status(TaskID id, TaskState state, String message) {
        return TaskStatus.newBuilder().setTaskId(id).setState(state).setMessage(message).build();
    }
}
