package io.remit.scheduler.state;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.RegistryException;
import java.time.Duration;

/**
 * The first request of a fresh etcd client can outlast the 5 s request timeout on a busy machine
 * (channel set-up); the contract tests are not about that, so they wait for a first answer.
 */
final class EtcdWarmUp {

    private EtcdWarmUp() {
    }

    static void firstAnswer(Etcd etcd) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                new KeyValues(etcd).get("/remit/warm-up");
                return;
            } catch (RegistryException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
        }
    }
}
