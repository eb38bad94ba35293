package io.remit.scheduler.mesos;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the scheduler registers with Mesos. Defaults suit {@code ./remit local}; on a real cluster
 * set the masters, role and principal.
 */
public class MesosSettings {

    /** Every master's base URL; a standby answers 307 to the leader. */
    @NotEmpty
    @JsonProperty
    public List<String> masters = new ArrayList<>(List.of("http://127.0.0.1:5050"));

    @NotEmpty
    @JsonProperty
    public String frameworkName = "remit";

    /** The user tasks run as; Mesos requires one. */
    @NotEmpty
    @JsonProperty
    public String user = System.getProperty("user.name", "root");

    @NotEmpty
    @JsonProperty
    public String role = "*";

    /** Optional: for clusters with framework authentication. */
    @JsonProperty
    public String principal;

    @JsonProperty
    public String secret;

    /** How long Mesos keeps our tasks while we are away: long, so a restart never orphans them. */
    @NotNull
    @JsonProperty
    public Duration failoverTimeout = Duration.ofDays(7);

    /** "protobuf" or "json". */
    @NotEmpty
    @JsonProperty
    public String mediaType = "protobuf";

    /** Resources of the executor itself, on top of each instance's. */
    @JsonProperty
    public double executorCpus = 0.05;

    @JsonProperty
    public int executorMemMb = 128;

    /**
     * Whether the executor may start the service from the launch spec in its environment before
     * LAUNCH (executors/README.md, Start-up). Only for agents that do not isolate resources, as
     * localcluster: a real agent sizes the executor's container for the executor alone until just
     * before LAUNCH, so a service started earlier runs within {@code executorMemMb} and
     * {@code executorCpus} meanwhile. Mesos also shows the executor's environment, so the launch
     * spec (config template, non-secret env) in its state. Off by default.
     */
    @JsonProperty
    public boolean executorEarlyStart = false;

    /**
     * How executors write their log (their sandbox's {@code stderr}): {@code text}, or {@code json}
     * for one JSON object per line with service, version and instance. Passed to each executor as
     * {@code REMIT_LOG_FORMAT} in its environment.
     */
    @NotNull
    @jakarta.validation.constraints.Pattern(regexp = "(?i)text|json", message = "must be text or json")
    @JsonProperty
    public String executorLogFormat = "text";
}
