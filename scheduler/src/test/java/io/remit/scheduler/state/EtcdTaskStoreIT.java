package io.remit.scheduler.state;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The task store contract against a real etcd. */
@ExtendWith(EtcdExtension.class)
class EtcdTaskStoreIT extends TaskStoreContract {

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
    protected TaskStore newStore() {
        EtcdTaskStore s = new EtcdTaskStore(etcd);
        s.all().forEach(r -> s.delete(r.taskId()));
        return s;
    }
}
