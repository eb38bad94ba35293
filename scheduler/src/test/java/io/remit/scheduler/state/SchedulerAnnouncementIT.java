package io.remit.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.scheduler.EtcdPause;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scheduler starting while etcd does not answer (hung, or a machine too loaded to answer within
 * the request timeout) still starts: its announcement in discovery is written once etcd answers.
 */
@ExtendWith(EtcdExtension.class)
class SchedulerAnnouncementIT {

    @Test
    void anAnnouncementEtcdDoesNotAnswerDoesNotStopTheStartAndIsWrittenOnceItAnswers(EtcdServer server) throws Exception {
        EtcdSettings settings = new EtcdSettings(List.of(server.endpoint()), null, null, null, null, Duration.ofSeconds(1));
        try (Etcd etcd = Etcd.connect(settings); Etcd observer = Etcd.connect(EtcdSettings.of(server.endpoint()))) {
            SchedulerAnnouncement announcement = new SchedulerAnnouncement(etcd, URI.create("http://127.0.0.1:18080"), 18081,
                    Clock.systemUTC());
            String key = announcement.instance().key();
            EtcdPause.pause(server);
            try {
                long started = System.nanoTime();
                announcement.start();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("start returns after the one timed-out try")
                        .isLessThan(Duration.ofSeconds(10));
            } finally {
                EtcdPause.resume(server);
            }
            KeyValues kv = new KeyValues(observer);
            Await.until("the announcement once etcd answers", () -> kv.get(key).isPresent(), () -> kv.get(key));
            announcement.stop();
            Await.until("the announcement gone on stop", () -> kv.get(key).isEmpty(), () -> kv.get(key));
        }
    }
}
