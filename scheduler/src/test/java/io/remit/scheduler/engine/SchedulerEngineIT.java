package io.remit.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.scheduler.EtcdPause;
import io.remit.scheduler.placement.OfferView;
import io.remit.scheduler.placement.PortRange;
import io.remit.scheduler.plan.TaskEvent;
import io.remit.scheduler.plan.TaskState;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.state.TaskRecord;
import io.remit.scheduler.state.TaskStore;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import io.remit.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine's own duties, with a real etcd behind its task store and a recording Mesos side. */
@ExtendWith(EtcdExtension.class)
class SchedulerEngineIT {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> recordedAtLaunch = new CopyOnWriteArrayList<>();
    /** The wall clock: the times in task records. */
    final MutableClock clock = new MutableClock();
    /** The clock that times backoffs and the unhealthy timeout (monotonic in production). */
    final MutableClock timers = new MutableClock();
    Etcd etcd;
    EtcdServer server;
    TaskStore store;
    SchedulerEngine engine;
    final MetricRegistry metrics = new MetricRegistry();

    @BeforeEach
    void start(EtcdServer server) throws Exception {
        this.server = server;
        etcd = Etcd.connect(EtcdSettings.of(server.endpoint()));
        store = new io.remit.scheduler.state.EtcdTaskStore(etcd);
        firstAnswer(store).forEach(r -> store.delete(r.taskId()));
        Cluster cluster = new Cluster() {
            @Override
            public void launch(String offerId, List<PlannedLaunch> launches) {
                for (PlannedLaunch p : launches) {
                    boolean stored = store.all().stream().anyMatch(r -> r.taskId().equals(p.record().taskId()));
                    recordedAtLaunch.add(p.record().taskId() + "=" + stored);
                    calls.add("launch " + p.record().taskId());
                }
            }

            @Override
            public void decline(Collection<String> offerIds, Duration refuse) {
                calls.add("decline " + offerIds);
            }

            @Override
            public void kill(String taskId, String agentId) {
                calls.add("kill " + taskId);
            }

            @Override
            public void revive() {
                calls.add("revive");
            }

            @Override
            public void suppress() {
                calls.add("suppress");
            }

            @Override
            public void reconcile(Map<String, String> tasks) {
                calls.add("reconcile " + tasks.keySet());
            }
        };
        SchedulerEngine.Settings settings = new SchedulerEngine.Settings(Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofMillis(50), Duration.ofMinutes(10), 0.05, 128, Duration.ofSeconds(60));
        engine = new SchedulerEngine(store, cluster, clock, timers, Executors.newSingleThreadScheduledExecutor(), settings,
                new EngineMetrics(metrics));
        ServiceSpec spec = SpecParser.parseJson("""
                {"id":"fx","version":"1","artifacts":["{{artifacts}}/fx.jar"],"instances":1,
                 "resources":{"cpus":0.5,"memMb":256,"ports":["admin"]},"config":""}""");
        engine.start(Map.of("fx", spec));
        engine.subscribed();
    }

    @AfterEach
    void stop() {
        EtcdPause.resume(server);
        if (engine != null) {
            engine.close();
        }
        etcd.close();
    }

    /**
     * The records, read as soon as etcd answers: the first request of a fresh client can outlast
     * the 5 s request timeout on a busy machine (channel set-up), which is not what these tests test.
     */
    private static List<TaskRecord> firstAnswer(TaskStore store) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return store.all();
            } catch (io.remit.registry.etcd.RegistryException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
        }
    }

    /** Launches an instance that turns healthy, then fails its health check. */
    private String launchUnhealthy() {
        String taskId = launchOne();
        engine.update(new TaskUpdate(taskId, "a1", "TASK_RUNNING", TaskEvent.RUNNING_HEALTHY, true, "healthy", false));
        engine.update(new TaskUpdate(taskId, "a1", "TASK_RUNNING", TaskEvent.RUNNING_UNHEALTHY, false, "503", false));
        await(() -> engine.snapshot().tasks().get(taskId) != null
                && Boolean.FALSE.equals(engine.snapshot().tasks().get(taskId).healthy()));
        return taskId;
    }

    private String launchOne() {
        engine.offers(List.of(new OfferView("o1", "a1", "host1", Map.of(), 4, 8192, 1000,
                List.of(new PortRange(31000, 31010)))));
        await(() -> calls.stream().anyMatch(c -> c.startsWith("launch ")), () -> calls + " " + engine.snapshot().waiting());
        return calls.stream().filter(c -> c.startsWith("launch ")).findFirst().orElseThrow().substring(7);
    }

    @Test
    void offersAreCountedAsReceivedUsedDeclinedOrRescindedAndPlannerRunsAreTimed() {
        launchOne();
        assertThat(metrics.meter("remit.offers.received").getCount()).isEqualTo(1);
        assertThat(metrics.meter("remit.offers.used").getCount()).isEqualTo(1);
        assertThat(metrics.meter("remit.instances.launched").getCount()).isEqualTo(1);

        // fx has its one instance: two more offers are declined.
        engine.offers(List.of(new OfferView("o2", "a1", "host1", Map.of(), 4, 8192, 1000, List.of(new PortRange(32000, 32010))),
                new OfferView("o3", "a2", "host2", Map.of(), 4, 8192, 1000, List.of(new PortRange(31000, 31010)))));
        await(() -> metrics.meter("remit.offers.declined").getCount() == 2, () -> calls.toString());
        assertThat(metrics.meter("remit.offers.received").getCount()).isEqualTo(3);
        assertThat(metrics.meter("remit.offers.used").getCount()).isEqualTo(1);
        engine.rescinded("o4");
        assertThat(metrics.meter("remit.offers.rescinded").getCount()).isEqualTo(1);
        assertThat(metrics.timer("remit.planner.runs").getCount()).isPositive();
    }

    @Test
    void theTaskRecordIsInEtcdBeforeTheLaunchIsSent() {
        String taskId = launchOne();
        assertThat(recordedAtLaunch).containsExactly(taskId + "=true");
    }

    @Test
    void aTaskRemitHasNoRecordOfIsKilled() {
        engine.update(new TaskUpdate("stray.1", "a1", "TASK_RUNNING", TaskEvent.RUNNING_HEALTHY, true, null, false));
        await(() -> calls.contains("kill stray.1"));
    }

    @Test
    void anInstanceUnhealthyForTooLongIsKilledAndReplaced() {
        String taskId = launchUnhealthy();
        timers.advance(Duration.ofSeconds(30));
        assertThat(calls).doesNotContain("kill " + taskId);
        timers.advance(Duration.ofSeconds(31));
        await(() -> calls.contains("kill " + taskId));
        await(() -> {
            TaskRecord killing = engine.snapshot().tasks().get(taskId);
            return killing != null && killing.message().contains("unhealthy for more than 60 s");
        });
    }

    @Test
    void aWallClockStepNeitherKillsAnUnhealthyInstanceEarlyNorHoldsABackoff() {
        String taskId = launchUnhealthy();
        clock.advance(Duration.ofHours(1)); // an NTP step: the wall clock only
        timers.advance(Duration.ofSeconds(30));
        long runs = metrics.timer("remit.planner.runs").getCount();
        await(() -> metrics.timer("remit.planner.runs").getCount() > runs + 2); // ticks have looked since
        assertThat(calls).as("unhealthy 30 s of its 60").doesNotContain("kill " + taskId);
        timers.advance(Duration.ofSeconds(31));
        await(() -> calls.contains("kill " + taskId));

        // The killed instance's failure starts a 1 s backoff; a step of the wall clock back by an
        // hour must not make it an hour.
        engine.update(new TaskUpdate(taskId, "a1", "TASK_KILLED", TaskEvent.KILLED, null, null, false));
        await(() -> engine.snapshot().backoff().containsKey("fx"));
        clock.advance(Duration.ofHours(-2));
        timers.advance(Duration.ofMinutes(1));
        calls.clear();
        engine.offers(List.of(new OfferView("o-after-step", "a1", "host1", Map.of(), 4, 8192, 1000,
                List.of(new PortRange(31000, 31010)))));
        await(() -> calls.stream().anyMatch(c -> c.startsWith("launch fx.")), () -> calls.toString());
    }

    @Test
    void anUpdateIsReportedAppliedOnlyOnceEtcdHasWhatItChanged() throws Exception {
        String taskId = launchOne();
        engine.update(new TaskUpdate(taskId, "a1", "TASK_RUNNING", TaskEvent.RUNNING_HEALTHY, true, null, false))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(stored(taskId)).as("the record as the update left it").hasValueSatisfying(r ->
                assertThat(r.state()).isEqualTo(TaskState.HEALTHY));
        TaskUpdate failed = new TaskUpdate(taskId, "a1", "TASK_FAILED", TaskEvent.FAILED, null, "exit status 137", false);

        EtcdPause.pause(server);
        CompletableFuture<Void> whileDown = engine.update(failed).toCompletableFuture();
        assertThatThrownBy(() -> whileDown.get(20, TimeUnit.SECONDS)).as("not applied while etcd is down")
                .isInstanceOf(ExecutionException.class);
        assertThat(engine.snapshot().tasks().get(taskId).state()).as("nothing of it applied in memory either")
                .isEqualTo(TaskState.HEALTHY);
        EtcdPause.resume(server);

        engine.update(failed).toCompletableFuture().get(10, TimeUnit.SECONDS); // sent again, as Mesos does
        assertThat(stored(taskId)).as("the record of the failed task is gone from etcd").isEmpty();
        assertThat(engine.snapshot().tasks()).doesNotContainKey(taskId);
        assertThat(engine.snapshot().recentlyEnded()).anyMatch(t -> t.taskId().equals(taskId)
                && t.message().equals("exit status 137"));
        engine.update(failed).toCompletableFuture().get(10, TimeUnit.SECONDS); // a duplicate changes nothing, and is fine
    }

    @Test
    void aGoneInstanceLeavesDiscoveryAtOnceNotWhenItsLeaseExpires() throws Exception {
        for (String terminal : List.of("TASK_FAILED", "TASK_LOST", "TASK_KILLED")) {
            String taskId = launchOne();
            calls.clear();
            engine.update(new TaskUpdate(taskId, "a1", "TASK_RUNNING", TaskEvent.RUNNING_HEALTHY, true, null, false));
            String key = Keys.discovery("fx", taskId);
            try (io.etcd.jetcd.Client client = io.etcd.jetcd.Client.builder().endpoints(server.endpoint()).build()) {
                // As the executor writes it: under a lease of 10 s, which nobody keeps alive any more.
                long lease = client.getLeaseClient().grant(10).get(5, TimeUnit.SECONDS).getID();
                client.getKVClient().put(bytes(key), bytes("{\"service\":\"fx\",\"taskId\":\"" + taskId + "\"}"),
                        io.etcd.jetcd.options.PutOption.builder().withLeaseId(lease).build()).get(5, TimeUnit.SECONDS);
                assertThat(exists(client, key)).isTrue();
                long start = System.nanoTime();

                engine.update(new TaskUpdate(taskId, "a1", terminal, terminal.equals("TASK_LOST") ? TaskEvent.LOST
                        : terminal.equals("TASK_KILLED") ? TaskEvent.KILLED : TaskEvent.FAILED, null, null, false))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);

                assertThat(exists(client, key)).as("the discovery record after %s", terminal).isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            }
            timers.advance(Duration.ofMinutes(1)); // past the restart backoff
        }
    }

    private Optional<TaskRecord> stored(String taskId) {
        return store.all().stream().filter(r -> r.taskId().equals(taskId)).findFirst();
    }

    private static io.etcd.jetcd.ByteSequence bytes(String s) {
        return io.etcd.jetcd.ByteSequence.from(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean exists(io.etcd.jetcd.Client client, String key) throws Exception {
        return client.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getCount() > 0;
    }

    @Test
    void aServiceThatCrashLoopedIsRunningOnceItsInstanceIsHealthyAgain() {
        for (int i = 0; i < 3; i++) {
            String taskId = launchOne();
            calls.clear();
            engine.update(new TaskUpdate(taskId, "a1", "TASK_FAILED", TaskEvent.FAILED, null, "exit status 1", false));
            await(() -> engine.snapshot().recentlyEnded().stream().anyMatch(t -> t.taskId().equals(taskId)));
            timers.advance(Duration.ofMinutes(1)); // past the backoff's wait
        }
        await(() -> state().equals("crash-looping"));

        String taskId = launchOne();
        engine.update(new TaskUpdate(taskId, "a1", "TASK_RUNNING", TaskEvent.RUNNING_HEALTHY, true, null, false));

        await(() -> state().equals("running"));
        assertThat(engine.snapshot().backoff().get("fx").failures()).as("the failures are still remembered").isEqualTo(3);
    }

    private String state() {
        EngineSnapshot s = engine.snapshot();
        return io.remit.scheduler.api.ServiceStatus.of(s.specs().get("fx"), s.tasks().values(), s).state();
    }

    private static void await(BooleanSupplier condition) {
        await(condition, () -> "");
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> state) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 10 s " + state.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

}
