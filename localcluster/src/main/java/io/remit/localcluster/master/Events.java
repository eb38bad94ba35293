package io.remit.localcluster.master;

import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** Builders for scheduler events. */
final class Events {

    static final Event HEARTBEAT = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();

    private Events() {
    }

    static Event update(TaskStatus status) {
        return Event.newBuilder().setType(Event.Type.UPDATE)
                .setUpdate(Event.Update.newBuilder().setStatus(status)).build();
    }

    static Event error(String message) {
        return Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage(message)).build();
    }
}
