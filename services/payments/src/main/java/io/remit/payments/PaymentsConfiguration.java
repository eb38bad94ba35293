package io.remit.payments;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.remit.kit.RemitConfiguration;
import io.remit.payments.idempotency.IdempotencySettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * payments' configuration: the kit's ({@code server}, {@code logging}, {@code remit},
 * {@code dependencies.fx}, {@code dependencies.schools}), plus
 *
 * <ul>
 *   <li>{@code database}: Dropwizard's {@link DataSourceFactory} (driverClass, url, user, password,
 *       pool sizes...). The runtime config keys {@code database.url}, {@code database.user} and
 *       {@code database.password} in etcd win over it at start ({@link io.remit.payments.db.RuntimeDatabase}).</li>
 *   <li>{@code idempotency}: key lifetime, claim lease, cleanup interval ({@link IdempotencySettings}).</li>
 * </ul>
 */
public class PaymentsConfiguration extends RemitConfiguration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    @Valid
    @NotNull
    private IdempotencySettings idempotency = IdempotencySettings.defaults();

    @JsonProperty("database")
    public DataSourceFactory getDatabase() {
        return database;
    }

    @JsonProperty("database")
    public void setDatabase(DataSourceFactory database) {
        this.database = database;
    }

    @JsonProperty("idempotency")
    public IdempotencySettings getIdempotency() {
        return idempotency;
    }

    @JsonProperty("idempotency")
    public void setIdempotency(IdempotencySettings idempotency) {
        this.idempotency = idempotency == null ? IdempotencySettings.defaults() : idempotency;
    }
}
