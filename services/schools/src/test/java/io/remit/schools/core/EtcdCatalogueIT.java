package io.remit.schools.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import io.remit.kit.RemitSettings;
import io.remit.kit.SecretSealer;
import io.remit.kit.ServiceData;
import io.remit.testkit.Await;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalogue contract against a real etcd, plus what only a shared, encrypted store does. */
@ExtendWith(EtcdExtension.class)
class EtcdCatalogueIT extends CatalogueContract {

    private static final String KEY = "test-only-secrets-key-0123456789abcdef";
    private static final AtomicInteger AREAS = new AtomicInteger();
    private static String endpoint;

    private final List<EtcdCatalogue> opened = new ArrayList<>();
    private ServiceData data;

    @BeforeAll
    static void endpoint(EtcdServer server) {
        endpoint = server.endpoint();
    }

    @AfterEach
    void closeCatalogues() {
        opened.forEach(EtcdCatalogue::close);
        data.close();
    }

    @Override
    protected Catalogue newCatalogue() {
        // a data area of its own for each test: /remit/data/schools-test-<n>/
        data = ServiceData.connect(new RemitSettings("schools-test-" + AREAS.incrementAndGet(), null, null, endpoint,
                null, null, null));
        return open(KEY);
    }

    private EtcdCatalogue open(String key) {
        EtcdCatalogue c = new EtcdCatalogue(data, new SchoolCodec(Jackson.newObjectMapper(), new SecretSealer("remit-schools", key)),
                Duration.ofSeconds(5));
        opened.add(c);
        assertThat(c.start(Duration.ofSeconds(5))).isTrue();
        return c;
    }

    @Test
    void anotherInstanceSeesEveryWrite() {
        EtcdCatalogue other = open(KEY);
        catalogue.create(OXFORD);
        Await.until("the other instance to see the new school", () -> other.find(OXFORD.id()).isPresent());
        assertThat(other.find(OXFORD.id())).contains(OXFORD);

        other.update(OXFORD.id(), s -> school(s.id(), "Renamed by the other", "483920175566"));
        Await.until("the rename to come back", () -> catalogue.find(OXFORD.id()).orElseThrow().name().equals("Renamed by the other"));
        assertThat(catalogue.find(OXFORD.id()).orElseThrow().accountNumber().reveal()).isEqualTo("483920175566");
    }

    @Test
    void theAccountNumberIsEncryptedAtRest() {
        catalogue.create(OXFORD);

        ServiceData.Entry stored = data.get(OXFORD.id()).orElseThrow();
        assertThat(stored.string()).contains("\"name\":\"University of Oxford\"").contains("\"accountNumberSealed\":\"v1.")
                .doesNotContain("GB60BARC20000055779911").doesNotContain("55779911").doesNotContain("9911");
    }

    @Test
    void anInstanceWithAnotherKeyServesNothingItCannotReadAndSaysWhy() {
        catalogue.create(OXFORD);
        EtcdCatalogue wrongKey = open("another-secrets-key-another-secrets-key");

        assertThat(wrongKey.all()).isEmpty();
        assertThat(wrongKey.unreadable()).containsOnlyKeys(OXFORD.id());
        assertThat(wrongKey.unreadable().get(OXFORD.id())).contains("sealed with key").doesNotContain("GB60");
    }

    @Test
    void aHandEditedValueThatBreaksTheRulesIsLeftOut() {
        catalogue.create(MIT);
        String stored = data.get(MIT.id()).orElseThrow().string();
        data.put(MIT.id(), stored.replace("\"country\":\"GB\"", "\"country\":\"XX\""));

        Await.until("the broken school to go", () -> catalogue.find(MIT.id()).isEmpty());
        assertThat(((EtcdCatalogue) catalogue).unreadable().get(MIT.id())).contains("country");
    }
}
