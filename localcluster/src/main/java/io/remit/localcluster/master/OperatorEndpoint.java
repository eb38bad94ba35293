package io.remit.localcluster.master;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.remit.localcluster.http.Bodies;
import io.remit.localcluster.http.Http;
import java.io.IOException;
import org.apache.mesos.v1.master.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1}, the master's v1 operator API, in the part localcluster implements:
 * MARK_AGENT_GONE. A request is checked in the order the Mesos master checks it (method,
 * Content-Type, body, the call's own validation, Accept), so that a bad one gets the same status
 * code and message; the other calls, which localcluster does not implement, are answered
 * 501 Not Implemented, as Mesos answers a call of an unknown type.
 */
final class OperatorEndpoint implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorEndpoint.class);

    private final Master master;

    OperatorEndpoint(Master master) {
        this.master = master;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Http.guarded(ex, LOG, this::serve);
    }

    private void serve(HttpExchange ex) throws IOException {
        Call call = Bodies.readCall(ex, Call.newBuilder());
        if (call == null) {
            return;
        }
        String invalid = validate(call);
        if (invalid != null) {
            Http.text(ex, 400, "Failed to validate master::Call: " + invalid);
            return;
        }
        if (Bodies.negotiate(ex) == null) {
            return;
        }
        LOG.info("Processing call {}", call.getType());
        if (call.getType() != Call.Type.MARK_AGENT_GONE) {
            Http.empty(ex, 501);
            return;
        }
        String agentId = call.getMarkAgentGone().getAgentId().getValue();
        switch (master.markAgentGone(call.getMarkAgentGone().getAgentId())) {
            case MARKED, ALREADY_GONE -> Http.empty(ex, 200);
            case NOT_FOUND -> Http.text(ex, 404, "Agent '" + agentId + "' not found");
        }
    }

    /** The master's own check of a call: the message for the call's type is present. */
    private static String validate(Call call) {
        if (!call.hasType()) {
            return "Expecting 'type' to be present";
        }
        if (call.getType() == Call.Type.MARK_AGENT_GONE && !call.hasMarkAgentGone()) {
            return "Expecting 'mark_agent_gone' to be present";
        }
        return null;
    }
}
