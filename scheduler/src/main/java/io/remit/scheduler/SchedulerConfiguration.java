package io.remit.scheduler;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.DataSize;
import io.dropwizard.validation.MinDataSize;
import io.remit.scheduler.mesos.MesosSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/** The scheduler's configuration (see {@code configs/scheduler.yml}). */
public class SchedulerConfiguration extends Configuration {

    @Valid
    @NotNull
    @JsonProperty
    public MesosSettings mesos = new MesosSettings();

    @Valid
    @NotNull
    @JsonProperty
    public EtcdConfig etcd = new EtcdConfig();

    /** The largest request body accepted (specs are small); a larger one is refused with 413 before it is read whole. */
    @NotNull
    @MinDataSize(1)
    @JsonProperty
    public DataSize maxRequestBody = DataSize.mebibytes(1);

    /** Service specs synced into etcd at start; empty to skip. */
    @JsonProperty
    public String specsDir = "configs/services";

    /** Folder served at {@code /artifacts/}: the executor jar and service jars. */
    @NotEmpty
    @JsonProperty
    public String artifactsDir = "var/artifacts";

    /** The URL agents fetch artifacts from; default: this scheduler's {@code /artifacts}. */
    @JsonProperty
    public String artifactsBaseUrl;

    @NotEmpty
    @JsonProperty
    public String executorJar = "remit-executor.jar";

    /** How other schedulers and clients reach this one (leader redirects); default http://127.0.0.1:<port>. */
    @JsonProperty
    public String advertisedUrl;

    /**
     * A file holding the key (at least 32 characters) that seals secret env values in etcd; every
     * scheduler of a cluster needs the same file. Unset: secrets are stored in etcd as given (a
     * warning at start). {@code ./remit local} writes {@code var/secrets.key}.
     */
    @JsonProperty
    public String secretsKeyFile;

    @NotNull
    @JsonProperty
    public Duration leaderTtl = Duration.ofSeconds(10);

    /** How long an instance is out of discovery before it is stopped. */
    @NotNull
    @JsonProperty
    public Duration drainGrace = Duration.ofSeconds(3);

    @NotNull
    @JsonProperty
    public Duration declineRefuse = Duration.ofSeconds(30);

    /** An instance failing its health check this long after having been healthy is replaced. */
    @NotNull
    @JsonProperty
    public Duration unhealthyTimeout = Duration.ofMinutes(1);

    /** How many recent events {@code GET /v1/events} can replay to a client that reconnects. */
    @JsonProperty
    @jakarta.validation.constraints.Min(100)
    public int eventHistory = 10_000;

    /** Who may read and change what; off unless configured (configs/scheduler.yml turns it on). */
    @jakarta.validation.Valid
    @NotNull
    @JsonProperty
    public io.remit.scheduler.auth.AuthSettings auth = new io.remit.scheduler.auth.AuthSettings();

    /** Capacity history: how often allocation is sampled, and how many days are kept (in etcd). */
    @jakarta.validation.Valid
    @NotNull
    @JsonProperty
    public CapacitySettings capacity = new CapacitySettings();

    /** Where the golden signals come from (a Prometheus server), and when a service is marked. */
    @jakarta.validation.Valid
    @NotNull
    @JsonProperty
    public io.remit.scheduler.observe.SignalSettings prometheus = new io.remit.scheduler.observe.SignalSettings();

    /** The Zipkin server the services report spans to: the UI's trace links and dependency graph. */
    @jakarta.validation.Valid
    @NotNull
    @JsonProperty
    public io.remit.scheduler.observe.ZipkinSettings zipkin = new io.remit.scheduler.observe.ZipkinSettings();

    public static class CapacitySettings {
        @NotNull
        @JsonProperty
        public Duration sampleInterval = Duration.ofMinutes(1);

        @JsonProperty
        @jakarta.validation.constraints.Min(1)
        public int retentionDays = 30;
    }
}
