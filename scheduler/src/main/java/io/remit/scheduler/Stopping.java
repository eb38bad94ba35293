package io.remit.scheduler;

import io.dropwizard.lifecycle.Managed;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Work to do when the application stops, as the pieces Dropwizard and Jetty call: {@link #managed}
 * runs it after the server has stopped taking requests, {@link #whenServerStops} as soon as the
 * server begins to stop (for open streams, which Jetty would otherwise wait for).
 */
final class Stopping {

    private Stopping() {
    }

    /** A managed object that starts nothing and runs {@code onStop} on stop. */
    static Managed managed(Runnable onStop) {
        return new OnStop(onStop);
    }

    /** A listener that runs {@code onStopping} when the server begins to stop. */
    static LifeCycle.Listener whenServerStops(Runnable onStopping) {
        return new OnStopping(onStopping);
    }

    private record OnStop(Runnable action) implements Managed {
        @Override
        public void stop() {
            action.run();
        }
    }

    private record OnStopping(Runnable action) implements LifeCycle.Listener {
        @Override
        public void lifeCycleStopping(LifeCycle event) {
            action.run();
        }
    }
}
