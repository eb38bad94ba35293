package io.remit.schools.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The search of {@code GET /schools}: a pure function of the catalogue and the filters. */
public final class SchoolSearch {

    /** By name ignoring case, then by id. */
    public static final Comparator<SchoolRecord> BY_NAME = Comparator
            .comparing((SchoolRecord s) -> s.name().toLowerCase(Locale.ROOT))
            .thenComparing(SchoolRecord::id);

    private SchoolSearch() {
    }

    /**
     * @param name    part of the name, any case; null or blank for any
     * @param country ISO 3166-1 alpha-2, exact (any case); null or blank for any
     * @return the matches, sorted {@link #BY_NAME}
     */
    public static List<SchoolRecord> search(Collection<SchoolRecord> schools, String name, String country) {
        String part = name == null || name.isBlank() ? null : name.strip().toLowerCase(Locale.ROOT);
        String code = country == null || country.isBlank() ? null : country.strip().toUpperCase(Locale.ROOT);
        return schools.stream()
                .filter(s -> part == null || s.name().toLowerCase(Locale.ROOT).contains(part))
                .filter(s -> code == null || s.country().equals(code))
                .sorted(BY_NAME)
                .toList();
    }
}
