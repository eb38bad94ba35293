package io.remit.schools.core;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the schools are kept: {@link InMemoryCatalogue} for an instance alone,
 * {@link EtcdCatalogue} shared by every instance. One contract, tested against both
 * ({@code CatalogueContract}). Thread-safe.
 *
 * <p>Reads are local and never block. A write returns once this instance reads it back
 * (read-your-writes); other instances see it moments later.
 */
public interface Catalogue {

    /** Whether the catalogue has its data (health check); until then reads are empty. */
    boolean isLoaded();

    Optional<SchoolRecord> find(String id);

    /** Every school, in no particular order. */
    Collection<SchoolRecord> all();

    /** Adds {@code school}; {@code false}, changing nothing, when its id is taken. */
    boolean create(SchoolRecord school);

    /**
     * Replaces the school {@code id} with {@code change} applied to the current one, atomically
     * (a concurrent write in between makes it apply {@code change} again to the newer one).
     *
     * @return the new school, or empty when there is none with that id
     * @throws ConcurrentUpdateException when other writes kept winning
     */
    Optional<SchoolRecord> update(String id, UnaryOperator<SchoolRecord> change);

    /** Adds each school whose id is absent (put-if-absent), as one write each; returns how many were added. */
    int seed(List<SchoolRecord> schools);

    /** Where the data lives, for logs and health, e.g. {@code memory}. */
    String describe();

    /** The school kept changing while an update tried to apply; the client may retry. */
    final class ConcurrentUpdateException extends RuntimeException {
        public ConcurrentUpdateException(String id) {
            super("school " + id + " was changed by other writes meanwhile; try again");
        }
    }
}
