package io.remit.payments;

import com.codahale.metrics.jdbi3.InstrumentedSqlLogger;
import com.codahale.metrics.jdbi3.strategies.SmartNameStrategy;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiHealthCheck;
import io.dropwizard.util.Duration;
import io.remit.fx.api.FxClient;
import io.remit.kit.Remit;
import io.remit.kit.RemitBundle;
import io.remit.payments.db.DatabaseErrorMapper;
import io.remit.payments.db.Migrations;
import io.remit.payments.db.PaymentStore;
import io.remit.payments.db.RuntimeDatabase;
import io.remit.payments.idempotency.IdempotencyKeys;
import io.remit.payments.idempotency.IdempotencyPolicy;
import io.remit.payments.idempotency.KeyCleaner;
import io.remit.payments.resources.PaymentsResource;
import io.remit.schools.api.SchoolsClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * payments: tuition payments from payers to schools, priced by fx, to schools known by schools,
 * stored in PostgreSQL, created exactly once per idempotency key however many instances run.
 * See the module's README for the API, the idempotency contract and the configuration.
 */
public class PaymentsApplication extends Application<PaymentsConfiguration> {

    public static final String NAME = "payments";
    private static final Logger LOG = LoggerFactory.getLogger(PaymentsApplication.class);

    private final RemitBundle<PaymentsConfiguration> remitBundle = new RemitBundle<>(NAME);
    private final Clock clock;

    public PaymentsApplication() {
        this(Clock.systemUTC());
    }

    /** An application that reads the time from {@code clock} (tests step a fake one). */
    public PaymentsApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new PaymentsApplication().run(args);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public void initialize(Bootstrap<PaymentsConfiguration> bootstrap) {
        bootstrap.addBundle(remitBundle);
    }

    @Override
    public void run(PaymentsConfiguration configuration, Environment environment) {
        Remit remit = remitBundle.remit();
        Jdbi jdbi = database(configuration.getDatabase(), remit, environment);

        IdempotencyKeys keys = new IdempotencyKeys(jdbi);
        PaymentStore store = new PaymentStore(jdbi);
        PaymentCreator.Dependencies dependencies = new PaymentCreator.Dependencies(
                new SchoolsClient(remit.client(SchoolsClient.SERVICE)), new FxClient(remit.client(FxClient.SERVICE)));
        IdempotencyPolicy policy = new IdempotencyPolicy(configuration.getIdempotency(), remit.config());
        PaymentCreator creator = new PaymentCreator(jdbi, keys, store, dependencies, policy, environment.getObjectMapper(), clock,
                new FeeWaiver(remit.flags()));
        environment.jersey().register(new DatabaseErrorMapper());
        environment.jersey().register(new PaymentsResource(creator, store, new CreationPause(remit.flags()),
                environment.getObjectMapper(), clock, remit.spans()));

        ScheduledExecutorService cleanup = environment.lifecycle().scheduledExecutorService("idempotency-cleanup")
                .threads(1).build();
        long every = configuration.getIdempotency().cleanupInterval().toMilliseconds();
        cleanup.scheduleWithFixedDelay(new KeyCleaner(keys, clock), every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The pool to PostgreSQL (runtime config from etcd over the file), migrated, with its critical
     * health check: an instance that cannot reach its database is unhealthy and gets replaced.
     */
    private static Jdbi database(DataSourceFactory database, Remit remit, Environment environment) {
        if (!remit.config().awaitLoaded(java.time.Duration.ofSeconds(30))) {
            throw new IllegalStateException("the runtime config of payments was not read from etcd within 30 s;"
                    + " not starting with the config file's database in its place");
        }
        List<String> fromEtcd = RuntimeDatabase.apply(database, remit.config());
        LOG.info("database {} (user {}), {}", RuntimeDatabase.describe(database.getUrl()), database.getUser(),
                fromEtcd.isEmpty() ? "from the config file" : "with " + fromEtcd + " from the runtime config in etcd");
        ManagedDataSource dataSource = database.build(environment.metrics(), "database");
        environment.lifecycle().manage(dataSource);
        Migrations.migrate(dataSource);
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        jdbi.setSqlLogger(new io.remit.payments.db.SqlSpans(remit.spans().tracer(),
                new InstrumentedSqlLogger(environment.metrics(), new SmartNameStrategy())));
        remit.critical("database", new JdbiHealthCheck(environment.getHealthCheckExecutorService(),
                database.getValidationQueryTimeout().orElse(Duration.seconds(5)), jdbi, database.getValidationQuery()));
        return jdbi;
    }
}
