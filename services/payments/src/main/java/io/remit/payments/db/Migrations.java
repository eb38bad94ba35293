package io.remit.payments.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with the Flyway migrations in {@code db/migration} on the class
 * path. Safe when several instances start at once: Flyway holds a PostgreSQL advisory lock while
 * it migrates, so one applies the migrations and the others find them applied.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    /** Applies what is missing; returns the number of migrations applied. Throws when one fails. */
    public static int migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .validateMigrationNaming(true)
                .load()
                .migrate();
        LOG.info("database schema at version {} ({} migrations applied now)", result.targetSchemaVersion,
                result.migrationsExecuted);
        return result.migrationsExecuted;
    }
}
