package io.remit.schools;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.remit.kit.RemitConfiguration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.concurrent.TimeUnit;

/** schools' configuration: the kit's ({@code server}, {@code logging}, {@code remit}, ...) plus the catalogue's. */
public class SchoolsConfiguration extends RemitConfiguration {

    /** The dev secrets key: fine on a laptop, a warning at start anywhere with etcd. */
    public static final String DEV_SECRETS_KEY = "remit-schools-dev-secrets-key-do-not-use-in-production";

    /** Seed catalogue file; empty: the copy of {@code configs/schools/schools.yml} bundled in the jar. */
    @JsonProperty
    public String seedFile = "";

    /**
     * Key that encrypts account numbers at rest in etcd (AES-256-GCM); every instance must have the
     * same one, or it cannot read what the others wrote. Set it from the environment
     * ({@code ${SCHOOLS_SECRETS_KEY}}). Changing it makes the stored account numbers unreadable.
     */
    @JsonProperty
    @NotNull
    @Size(min = 32, message = "must be at least 32 characters")
    public String secretsKey = DEV_SECRETS_KEY;

    /** How long a write waits for this instance to read it back from etcd before answering anyway. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 30, unit = TimeUnit.SECONDS)
    public Duration writeVisibilityWait = Duration.seconds(5);

    /** How long start waits for the first copy of the catalogue from etcd (unhealthy until it has it). */
    @JsonProperty
    @NotNull
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    public Duration loadWait = Duration.seconds(10);
}
