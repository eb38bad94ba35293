package io.remit.mesos.scheduler;

import io.remit.mesos.fake.FakeMesos;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** A {@link FakeMesos} playing a master's {@code /api/v1/scheduler}. */
final class FakeMaster {

    static final String NEW_FRAMEWORK_ID = "fw-1";

    private FakeMaster() {
    }

    /** A master that answers each SUBSCRIBE with a stream starting with SUBSCRIBED. */
    static FakeMesos<Call> start(double heartbeatSeconds) {
        FakeMesos<Call> master = new FakeMesos<>("/api/v1/scheduler", Call::newBuilder,
                call -> call.getType() == Call.Type.SUBSCRIBE, true);
        master.firstEvent(request -> subscribed(
                request.call().hasFrameworkId() ? request.call().getFrameworkId().getValue() : NEW_FRAMEWORK_ID,
                heartbeatSeconds));
        return master;
    }

    static Event subscribed(String frameworkId, double heartbeatSeconds) {
        return Event.newBuilder()
                .setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder()
                        .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
                        .setHeartbeatIntervalSeconds(heartbeatSeconds))
                .build();
    }

    static Event heartbeat() {
        return Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
    }

    static Event error(String message) {
        return Event.newBuilder().setType(Event.Type.ERROR).setError(Event.Error.newBuilder().setMessage(message)).build();
    }
}
