package io.remit.localcluster.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.remit.localcluster.http.Bodies;
import io.remit.localcluster.http.EventStream;
import io.remit.localcluster.http.Http;
import io.remit.mesos.MediaType;
import java.io.IOException;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/executor} on the agent, checking requests in the order a Mesos agent does
 * and answering with its status codes and messages.
 */
final class ExecutorEndpoint implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorEndpoint.class);

    private final ProcessAgent agent;

    ExecutorEndpoint(ProcessAgent agent) {
        this.agent = agent;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Http.guarded(ex, LOG, this::serve);
    }

    void state(HttpExchange ex) throws IOException {
        try {
            Http.json(ex, 200, agent.onAgentThread(agent::state));
        } finally {
            ex.close();
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        Call call = Bodies.readCall(ex, Call.newBuilder());
        if (call == null) {
            return;
        }
        String invalid = validate(call);
        if (invalid != null) {
            Http.text(ex, 400, "Failed to validate Executor::Call: " + invalid);
            return;
        }
        MediaType type = null;
        if (call.getType() == Call.Type.SUBSCRIBE) {
            type = Bodies.negotiate(ex);
            if (type == null) {
                return;
            }
        } else if (call.getType() == Call.Type.HEARTBEAT) {
            Http.empty(ex, 202);
            return;
        }
        ProcessAgent.Lookup lookup = agent.onAgentThread(() -> agent.lookup(call.getFrameworkId(), call.getExecutorId()));
        if (lookup == ProcessAgent.Lookup.FRAMEWORK_UNKNOWN) {
            Http.text(ex, 400, "Framework cannot be found");
            return;
        }
        if (lookup == ProcessAgent.Lookup.EXECUTOR_UNKNOWN) {
            Http.text(ex, 400, "Executor cannot be found");
            return;
        }
        switch (call.getType()) {
            case SUBSCRIBE -> {
                EventStream stream = new EventStream("executor-" + call.getExecutorId().getValue(), type);
                agent.onAgentThread(() -> {
                    agent.subscribed(call, stream);
                    return null;
                });
                stream.pump(ex, null);
            }
            case UPDATE, MESSAGE -> {
                if (lookup == ProcessAgent.Lookup.NOT_SUBSCRIBED) {
                    Http.text(ex, 403, "Executor is not subscribed");
                    return;
                }
                agent.onAgentThread(() -> {
                    if (call.getType() == Call.Type.UPDATE) {
                        agent.executorUpdate(call);
                    } else {
                        agent.executorMessage(call);
                    }
                    return null;
                });
                Http.empty(ex, 202);
            }
            default -> Http.empty(ex, 202);
        }
    }

    /** The agent's validation of an executor call, in its order and words; null when valid. */
    static String validate(Call call) {
        if (!call.hasType()) {
            return "Expecting 'type' to be present";
        }
        switch (call.getType()) {
            case SUBSCRIBE -> {
                return call.hasSubscribe() ? null : "Expecting 'subscribe' to be present";
            }
            case UPDATE -> {
                if (!call.hasUpdate()) {
                    return "Expecting 'update' to be present";
                }
                TaskStatus status = call.getUpdate().getStatus();
                if (!status.hasUuid()) {
                    return "Expecting 'uuid' to be present";
                }
                if (!validUuid(status.getUuid())) {
                    return "Not a valid UUID";
                }
                if (status.hasExecutorId() && !status.getExecutorId().equals(call.getExecutorId())) {
                    return "ExecutorID in Call: " + call.getExecutorId().getValue()
                            + " does not match ExecutorID in TaskStatus: " + status.getExecutorId().getValue();
                }
                if (status.getSource() != TaskStatus.Source.SOURCE_EXECUTOR) {
                    return "Received Call from executor " + call.getExecutorId().getValue() + " of framework "
                            + call.getFrameworkId().getValue() + " with invalid source, expecting 'SOURCE_EXECUTOR'";
                }
                if (status.getState() == TaskState.TASK_STAGING) {
                    return "Received TASK_STAGING from executor " + call.getExecutorId().getValue() + " of framework "
                            + call.getFrameworkId().getValue() + " which is not allowed";
                }
                return null;
            }
            case MESSAGE -> {
                return call.hasMessage() ? null : "Expecting 'message' to be present";
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean validUuid(com.google.protobuf.ByteString uuid) {
        if (uuid.size() != 16) {
            return false;
        }
        int version = (uuid.byteAt(6) & 0xf0) >> 4;
        return version >= 1 && version <= 5;
    }
}
