package io.remit.schools.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Catalogue} does; run against the in-memory one and the etcd one (with a real
 * etcd), so they cannot drift apart.
 */
abstract class CatalogueContract {

    static final SchoolRecord OXFORD = school("university-of-oxford", "University of Oxford", "GB60BARC20000055779911");
    static final SchoolRecord MIT = school("mit", "Massachusetts Institute of Technology", "483920175566");

    protected Catalogue catalogue;

    /** A new, empty catalogue; the test does not close it. */
    protected abstract Catalogue newCatalogue();

    static SchoolRecord school(String id, String name, String account) {
        return new SchoolRecord(id, name, "GB", "GBP", List.of("BANK_TRANSFER"), "Barclays Bank UK", AccountNumber.of(account));
    }

    @BeforeEach
    void fresh() {
        catalogue = newCatalogue();
    }

    @Test
    void aCreatedSchoolCanBeReadBackAtOnceWithItsAccountNumber() {
        assertThat(catalogue.isLoaded()).isTrue();
        assertThat(catalogue.create(OXFORD)).isTrue();

        assertThat(catalogue.find(OXFORD.id())).contains(OXFORD);
        assertThat(catalogue.find(OXFORD.id()).orElseThrow().accountNumber().reveal()).isEqualTo("GB60BARC20000055779911");
        assertThat(catalogue.all()).containsExactly(OXFORD);
    }

    @Test
    void aTakenIdIsRefusedAndNothingChanges() {
        catalogue.create(OXFORD);
        SchoolRecord impostor = school(OXFORD.id(), "Oxford Impostor", "483920175566");

        assertThat(catalogue.create(impostor)).isFalse();
        assertThat(catalogue.find(OXFORD.id())).contains(OXFORD);
    }

    @Test
    void anUpdateAppliesToTheCurrentSchoolAndIsReadBackAtOnce() {
        catalogue.create(OXFORD);

        SchoolRecord renamed = catalogue.update(OXFORD.id(), s -> new SchoolRecord(s.id(), "Oxford University", s.country(),
                s.currency(), List.of("CARD"), s.bankName(), s.accountNumber())).orElseThrow();

        assertThat(renamed.name()).isEqualTo("Oxford University");
        assertThat(renamed.accountNumber()).isEqualTo(OXFORD.accountNumber());
        assertThat(catalogue.find(OXFORD.id())).contains(renamed);
    }

    @Test
    void anUpdateOfAnUnknownSchoolChangesNothing() {
        assertThat(catalogue.update("nowhere", s -> s)).isEmpty();
        assertThat(catalogue.find("nowhere")).isEmpty();
    }

    @Test
    void seedingAddsOnlyTheSchoolsThatAreMissing() {
        assertThat(catalogue.seed(List.of(OXFORD))).isEqualTo(1);
        SchoolRecord changedOxford = school(OXFORD.id(), "Changed", "483920175566");

        assertThat(catalogue.seed(List.of(changedOxford, MIT))).isEqualTo(1);

        assertThat(catalogue.find(OXFORD.id())).contains(OXFORD);
        assertThat(catalogue.find(MIT.id())).contains(MIT);
    }
}
