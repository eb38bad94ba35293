package io.remit.schools.core;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** The catalogue of an instance alone (no etcd): in memory, lost at exit. Thread-safe. */
public final class InMemoryCatalogue implements Catalogue {

    private final ConcurrentHashMap<String, SchoolRecord> schools = new ConcurrentHashMap<>();

    @Override
    public boolean isLoaded() {
        return true;
    }

    @Override
    public Optional<SchoolRecord> find(String id) {
        return Optional.ofNullable(schools.get(id));
    }

    @Override
    public Collection<SchoolRecord> all() {
        return List.copyOf(schools.values());
    }

    @Override
    public boolean create(SchoolRecord school) {
        return schools.putIfAbsent(school.id(), school) == null;
    }

    @Override
    public Optional<SchoolRecord> update(String id, UnaryOperator<SchoolRecord> change) {
        return Optional.ofNullable(schools.computeIfPresent(id, (k, current) -> change.apply(current)));
    }

    @Override
    public int seed(List<SchoolRecord> seed) {
        int added = 0;
        for (SchoolRecord s : seed) {
            if (create(s)) {
                added++;
            }
        }
        return added;
    }

    @Override
    public String describe() {
        return "memory";
    }
}
