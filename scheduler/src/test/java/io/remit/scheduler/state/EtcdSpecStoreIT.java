package io.remit.scheduler.state;

import io.remit.registry.Etcd;
import io.remit.registry.EtcdSettings;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
    protected SpecStore newStore() {
        EtcdSpecStore s = new EtcdSpecStore(etcd);
        s.all().keySet().forEach(s::delete);
        return s;
    }
}
