package io.remit.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.scheduler.TestSpecs;
import io.remit.scheduler.spec.SpecParser;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.time.Clock;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The spec store contract against a real etcd. */
@ExtendWith(EtcdExtension.class)
class EtcdSpecStoreIT extends SpecStoreContract {

    private static Etcd etcd;

    @BeforeAll
    static void connect(EtcdServer server) {
        etcd = Etcd.connect(EtcdSettings.of(server.endpoint()));
        EtcdWarmUp.firstAnswer(etcd);
    }

    @AfterAll
    static void disconnect() {
        etcd.close();
    }

    @Override
    protected SpecStore newStore(Clock clock, Consumer<Revision> made) {
        KeyValues kv = new KeyValues(etcd);
        kv.list(Keys.SERVICES).forEach(e -> kv.delete(e.key()));
        kv.list(Keys.REVISIONS).forEach(e -> kv.delete(e.key()));
        return new EtcdSpecStore(etcd, SpecCodec.plain(), clock, made);
    }

    @Test
    void aSpecStoredBeforeRevisionsWereKeptBecomesRevisionOneAtItsNextChange() {
        KeyValues kv = new KeyValues(etcd);
        kv.put(Keys.serviceSpec("fx"), SpecParser.toJson(TestSpecs.spec("fx", 2)));
        assertThat(store.revisions("fx")).isEmpty();

        SpecStore.Written w = store.put(TestSpecs.spec("fx", 2).withVersion("2.0.0"), 0, new SpecStore.Change("alice", "2.0"));

        assertThat(w.revision().number()).isEqualTo(2);
        Revision baseline = store.revision("fx", 1).orElseThrow();
        assertThat(baseline.spec()).isEqualTo(TestSpecs.spec("fx", 2));
        assertThat(baseline.who()).isEqualTo("remit");
        assertThat(baseline.message()).isEqualTo("as stored before revisions were kept");
        assertThat(told).extracting(Revision::number).containsExactly(1L, 2L);
    }

    @Test
    void aSpecAndItsRevisionAreOneEtcdWrite() {
        store.create(TestSpecs.spec("fx", 1), new SpecStore.Change("alice", ""));
        store.put(TestSpecs.spec("fx", 1).withVersion("2.0.0"), 0, new SpecStore.Change("alice", ""));
        KeyValues kv = new KeyValues(etcd);
        // One transaction: the spec and its revision carry the same etcd revision, so no reader
        // (nor a scheduler killed in between) ever sees the one without the other.
        assertThat(kv.get(Keys.revision("fx", 2)).orElseThrow().modRevision())
                .isEqualTo(kv.get(Keys.serviceSpec("fx")).orElseThrow().modRevision());
    }

    @Test
    void aRevisionKeyWrittenAgainDoesNotMakeTheNextNumberOneThatExists() {
        store.create(TestSpecs.spec("fx", 1), new SpecStore.Change("alice", ""));
        store.put(TestSpecs.spec("fx", 1).withVersion("2.0.0"), 0, new SpecStore.Change("alice", ""));
        KeyValues kv = new KeyValues(etcd);
        // Revision 1 deleted and written back (by hand, or etcd restored): now the key created last.
        String first = kv.get(Keys.revision("fx", 1)).orElseThrow().string();
        kv.delete(Keys.revision("fx", 1));
        kv.put(Keys.revision("fx", 1), first);

        SpecStore.Written w = store.put(TestSpecs.spec("fx", 1).withVersion("3.0.0"), 0, new SpecStore.Change("bob", "3.0"));

        assertThat(w.outcome()).isEqualTo(SpecStore.Outcome.REPLACED);
        assertThat(w.revision().number()).isEqualTo(3);
        assertThat(store.revisions("fx")).extracting(Revision::number).containsExactly(3L, 2L, 1L);
    }
}
