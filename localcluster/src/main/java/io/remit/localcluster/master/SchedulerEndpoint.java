package io.remit.localcluster.master;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.remit.localcluster.http.Bodies;
import io.remit.localcluster.http.EventStream;
import io.remit.localcluster.http.Http;
import io.remit.mesos.MediaType;
import java.io.IOException;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/scheduler}: checks a request in the order the Mesos master does, so that
 * each kind of bad request gets the same status code and message, then hands the call to the
 * {@link Master}.
 */
final class SchedulerEndpoint implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerEndpoint.class);

    private final Master master;

    SchedulerEndpoint(Master master) {
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
        String invalid = CallValidation.validate(call);
        if (invalid != null) {
            Http.text(ex, 400, "Failed to validate scheduler::Call: " + invalid);
            return;
        }
        String streamId = ex.getRequestHeaders().getFirst(MediaType.STREAM_ID_HEADER);
        if (call.getType() == Call.Type.SUBSCRIBE) {
            MediaType type = Bodies.negotiate(ex);
            if (type == null) {
                return;
            }
            if (streamId != null) {
                Http.text(ex, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
                return;
            }
            EventStream stream = master.subscribe(call.getSubscribe(), type);
            stream.pump(ex, stream.id());
            return;
        }
        switch (master.standing(call.getFrameworkId(), streamId)) {
            case UNKNOWN -> Http.text(ex, 400, "Framework cannot be found");
            case NOT_SUBSCRIBED -> Http.text(ex, 403, "Framework is not subscribed");
            case WRONG_STREAM -> Http.text(ex, 400, streamId == null
                    ? "All non-subscribe calls should include the 'Mesos-Stream-Id' header"
                    : "The stream ID '" + streamId + "' included in this request didn't match the stream ID "
                            + "currently associated with framework ID " + call.getFrameworkId().getValue());
            case OK -> {
                master.handle(call);
                Http.empty(ex, 202);
            }
        }
    }
}
