package io.remit.schools.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchoolSearchTest {

    private static final List<SchoolRecord> SEED = SeedFile.load("");

    private static List<String> ids(String name, String country) {
        return SchoolSearch.search(SEED, name, country).stream().map(SchoolRecord::id).toList();
    }

    @Test
    void nameIsAnySubstringInAnyCaseAndCountryIsExact() {
        assertThat(ids("UNIVERSITY OF", "gb")).containsExactly("university-of-edinburgh", "university-of-oxford");
        assertThat(ids("technology", null)).containsExactly("iit-bombay", "mit");
        assertThat(ids(null, "DE")).containsExactly("tu-munich");
        assertThat(ids("université", "FR")).containsExactly("sorbonne-universite");
        assertThat(ids("oxford", "US")).isEmpty();
    }

    @Test
    void withoutFiltersEverySchoolIsListedByName() {
        List<SchoolRecord> all = SchoolSearch.search(SEED, "", " ");
        assertThat(all).hasSize(SEED.size()).isSortedAccordingTo(SchoolSearch.BY_NAME);
        assertThat(all.get(0).name()).isEqualTo("ETH Zurich");
    }
}
