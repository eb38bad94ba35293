package io.remit.kit;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.remit.kit.client.DependencySettings;
import io.dropwizard.util.DataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration every Remit service extends: Dropwizard's, plus the {@code remit:} block and
 * one {@code dependencies:} entry per service it calls, e.g.
 *
 * <pre>{@code
 * remit:
 *   service: payments
 *   etcdEndpoints: http://127.0.0.1:2379
 * dependencies:
 *   fx:
 *     timeout: 1s
 *     maxAttempts: 3
 *   schools:
 *     urls: [http://127.0.0.1:9001]   # fixed instances instead of discovery
 * maxRequestBody: 1MiB                 # larger bodies are refused with 413 (the default)
 * tracing:
 *   zipkinUrl: http://127.0.0.1:9411   # where spans go (tracing.zipkinUrl in etcd wins); empty: none
 *   sampleRate: 1.0                    # of the traces this service starts (tracing.sampleRate in etcd wins)
 * }</pre>
 */
public class RemitConfiguration extends Configuration {

    private RemitSettings remit;

    /** The largest request body accepted; a larger one is refused with 413 before it is read whole. */
    @NotNull
    @MinDataSize(1)
    private DataSize maxRequestBody = DataSize.mebibytes(1);

    /** Where spans go and how many are sampled; defaults for the runtime config's {@code tracing.*} keys. */
    @Valid
    @NotNull
    private io.remit.kit.trace.TracingSettings tracing = new io.remit.kit.trace.TracingSettings();

    @Valid
    private Map<String, DependencySettings> dependencies = new LinkedHashMap<>();

    @JsonProperty("remit")
    public RemitSettings getRemit() {
        return remit;
    }

    @JsonProperty("remit")
    public void setRemit(RemitSettings remit) {
        this.remit = remit;
    }

    @JsonProperty("maxRequestBody")
    public DataSize getMaxRequestBody() {
        return maxRequestBody;
    }

    @JsonProperty("maxRequestBody")
    public void setMaxRequestBody(DataSize maxRequestBody) {
        this.maxRequestBody = maxRequestBody;
    }

    @JsonProperty("tracing")
    public io.remit.kit.trace.TracingSettings getTracing() {
        return tracing;
    }

    @JsonProperty("tracing")
    public void setTracing(io.remit.kit.trace.TracingSettings tracing) {
        this.tracing = tracing == null ? new io.remit.kit.trace.TracingSettings() : tracing;
    }

    @JsonProperty("dependencies")
    public Map<String, DependencySettings> getDependencies() {
        return dependencies;
    }

    @JsonProperty("dependencies")
    public void setDependencies(Map<String, DependencySettings> dependencies) {
        this.dependencies = dependencies == null ? new LinkedHashMap<>() : new LinkedHashMap<>(dependencies);
    }

    /** The settings of dependency {@code name}; defaults when the config has no entry for it. */
    public DependencySettings dependency(String name) {
        return dependencies.getOrDefault(name, new DependencySettings());
    }
}
