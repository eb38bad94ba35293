package io.remit.executor.api;

import java.util.List;

/**
 * What the scheduler may put in the executor's environment ({@code ExecutorInfo.command.environment})
 * besides {@link LaunchSpec#EARLY_START_ENV}. Every one is optional: an executor started without
 * them runs its task as before. None of them is passed on to the service.
 */
public final class ExecutorEnv {

    /**
     * The port the executor serves its own metrics on ({@value #METRICS_PATH}, Prometheus text
     * format), on every interface. The scheduler takes it from the offer and reserves it as a
     * {@code ports} resource of the ExecutorInfo, so no other task on the agent gets it.
     */
    public static final String METRICS_PORT = "REMIT_EXECUTOR_METRICS_PORT";
    /** The path of the executor's metrics. */
    public static final String METRICS_PATH = "/metrics";
    /**
     * When the scheduler sent the task's LAUNCH, as an ISO-8601 instant: the executor measures
     * from it the agent's share of the launch (its fetch of the artifacts, mostly) up to the
     * executor's own start. Agent and scheduler clocks may differ; a negative span is left out.
     */
    public static final String LAUNCHED_AT = "REMIT_LAUNCHED_AT";
    /** {@code json} for one JSON object per log line on stderr; anything else, or unset: plain text. */
    public static final String LOG_FORMAT = "REMIT_LOG_FORMAT";
    /** The service, version and task id, for the executor's log lines from its very first one. */
    public static final String SERVICE_ID = "REMIT_SERVICE_ID";
    public static final String SERVICE_VERSION = "REMIT_SERVICE_VERSION";
    public static final String INSTANCE_ID = "REMIT_INSTANCE_ID";

    /** All of the above: the executor's alone, never given to the service. */
    public static final List<String> ALL = List.of(METRICS_PORT, LAUNCHED_AT, LOG_FORMAT, SERVICE_ID, SERVICE_VERSION,
            INSTANCE_ID);

    private ExecutorEnv() {
    }
}
