package io.remit.registry.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.testing.Await;
import io.remit.registry.testing.GrpcFaults;
import io.remit.registry.testing.TcpProxy;
import io.remit.registry.testing.TestEtcd;
import io.remit.testkit.EtcdExtension;
import io.remit.testkit.EtcdServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two candidates against a real etcd: one leader, clean hand-over, take-over after a crash, and
 * election despite lost or late answers from etcd.
 */
@ExtendWith(EtcdExtension.class)
class LeaderElectionIT {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElectionIT.class);
    private static final Duration TTL = Duration.ofSeconds(2);

    /** One candidate with its own client, recording its listener calls and when they came. */
    private static final class Candidate implements AutoCloseable {
        final Etcd etcd;
        final EtcdLeaderElection election;
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final Map<String, Long> lastAt = new ConcurrentHashMap<>();

        Candidate(String endpoint, String name, String id) {
            this(endpoint, name, id, new GrpcFaults(), System::nanoTime);
        }

        Candidate(String endpoint, String name, String id, GrpcFaults faults, LongSupplier nanoTime) {
            etcd = TestEtcd.connect(endpoint, faults);
            election = new EtcdLeaderElection(etcd, new ElectionSettings(name, id, TTL), new LeadershipListener() {
                @Override
                public void elected() {
                    lastAt.put("elected", System.nanoTime());
                    events.add("elected");
                }

                @Override
                public void revoked() {
                    lastAt.put("revoked", System.nanoTime());
                    events.add("revoked");
                }
            }, nanoTime);
        }

        @Override
        public void close() {
            election.close();
            etcd.close();
        }
    }

    private final List<Candidate> candidates = new ArrayList<>();
    private String name;

    @BeforeEach
    void name(TestInfo test) {
        name = "/remit/test/" + test.getTestMethod().orElseThrow().getName() + "/leader";
    }

    @AfterEach
    void closeAll() {
        candidates.forEach(Candidate::close);
    }

    private Candidate candidate(EtcdServer etcd, String id) {
        return candidate(etcd.endpoint(), id);
    }

    private Candidate candidate(EtcdServer etcd, String id, GrpcFaults faults, LongSupplier nanoTime) {
        Candidate c = new Candidate(etcd.endpoint(), name, id, faults, nanoTime);
        candidates.add(c);
        return c;
    }

    private Candidate candidate(String endpoint, String id) {
        Candidate c = new Candidate(endpoint, name, id);
        candidates.add(c);
        return c;
    }

    private Candidate awaitOneLeader(Candidate a, Candidate b) {
        Await.until("a leader", () -> a.election.isLeader() || b.election.isLeader());
        assertThat(a.election.isLeader() && b.election.isLeader()).as("both lead").isFalse();
        return a.election.isLeader() ? a : b;
    }

    @Test
    void exactlyOneOfTwoCandidatesLeadsAndBothKnowWho(EtcdServer etcd) {
        Candidate a = candidate(etcd, "sched-a");
        Candidate b = candidate(etcd, "sched-b");
        a.election.start();
        b.election.start();
        Candidate leader = awaitOneLeader(a, b);
        Candidate standby = leader == a ? b : a;
        String leaderId = leader.election.candidateId();

        assertThat(Await.next("elected", leader.events)).isEqualTo("elected");
        Await.until("both to see the leader", () -> a.election.leader().equals(Optional.of(leaderId))
                && b.election.leader().equals(Optional.of(leaderId)));
        assertThat(standby.election.isLeader()).isFalse();
        assertThat(standby.events).isEmpty();
        assertThat(new KeyValues(standby.etcd).get(name).orElseThrow().string()).isEqualTo(leaderId);
    }

    @Test
    void closingTheLeaderHandsOverWithinTwoSeconds(EtcdServer etcd) {
        Candidate a = candidate(etcd, "sched-a");
        Candidate b = candidate(etcd, "sched-b");
        a.election.start();
        b.election.start();
        Candidate leader = awaitOneLeader(a, b);
        Candidate standby = leader == a ? b : a;
        Await.until("the standby to see the leader", () -> standby.election.leader().isPresent());

        assertThat(Await.next("elected", leader.events)).isEqualTo("elected");
        long resignAt = System.nanoTime();
        leader.election.close();
        assertThat(Await.next("revoked on close", leader.events)).isEqualTo("revoked");
        assertThat(Await.next("standby elected", standby.events, Duration.ofSeconds(2))).isEqualTo("elected");
        Duration handOver = Duration.ofNanos(System.nanoTime() - resignAt);
        LOG.info("resign -> standby elected in {} ms", handOver.toMillis());
        assertThat(handOver).isLessThan(Duration.ofSeconds(2));
        assertThat(standby.election.isLeader()).isTrue();
        assertThat(standby.election.leader()).contains(standby.election.candidateId());
        assertThat(leader.election.isLeader()).isFalse();
    }

    @Test
    void aLeaderThatDiesIsReplacedWithinItsTtl(EtcdServer etcd) {
        Candidate a = candidate(etcd, "sched-a");
        Candidate b = candidate(etcd, "sched-b");
        a.election.start();
        b.election.start();
        Candidate leader = awaitOneLeader(a, b);
        Candidate standby = leader == a ? b : a;
        assertThat(Await.next("elected", leader.events)).isEqualTo("elected");

        long diedAt = System.nanoTime();
        leader.etcd.close(); // the process dies: no resign, no more keep-alives
        assertThat(Await.next("standby elected", standby.events, TTL.plusSeconds(2))).isEqualTo("elected");
        Duration takeOver = Duration.ofNanos(System.nanoTime() - diedAt);
        LOG.info("leader died -> standby elected in {} ms (ttl {})", takeOver.toMillis(), TTL);
        assertThat(takeOver).as("waited for the lease, not less").isGreaterThan(Duration.ofMillis(TTL.toMillis() * 2 / 3 - 200));
        assertThat(standby.election.leader()).contains(standby.election.candidateId());

        // the cut-off leader steps down on its own, by its lease deadline, before anyone else could lead
        assertThat(Await.next("the dead leader's revoke", leader.events, TTL.plusSeconds(1))).isEqualTo("revoked");
        assertThat(leader.election.isLeader()).isFalse();
    }

    @Test
    void aLeaderCutOffFromEtcdStepsDownBeforeTheStandbyTakesOver(EtcdServer etcd) {
        try (TcpProxy proxy = TcpProxy.start(etcd.clientPort())) {
            Candidate cutOff = candidate(proxy.endpoint(), "sched-a");
            cutOff.election.start();
            Await.until("a to lead", cutOff.election::isLeader);
            assertThat(Await.next("elected", cutOff.events)).isEqualTo("elected");
            Candidate standby = candidate(etcd, "sched-b");
            standby.election.start();
            Await.until("b to see a lead", () -> standby.election.leader().equals(Optional.of("sched-a")));

            proxy.cut();
            assertThat(Await.next("a to step down", cutOff.events, TTL.plusSeconds(1))).isEqualTo("revoked");
            assertThat(cutOff.election.isLeader()).isFalse();
            assertThat(Await.next("b elected", standby.events, TTL.plusSeconds(3))).isEqualTo("elected");
            long gap = standby.lastAt.get("elected") - cutOff.lastAt.get("revoked");
            LOG.info("cut-off leader stepped down {} ms before the standby was elected", Duration.ofNanos(gap).toMillis());
            assertThat(gap).as("no moment with two leaders").isPositive();

            proxy.restore();
            Await.until("a to see b lead after reconnecting", Duration.ofSeconds(20),
                    () -> cutOff.election.leader().equals(Optional.of("sched-b")));
            assertThat(cutOff.election.isLeader()).isFalse();
            assertThat(cutOff.events).isEmpty();
        }
    }

    @Test
    void aLeaseGrantedTooLateToRelyOnIsReplacedByAnother(EtcdServer etcd) {
        // As on a loaded machine: the grant's answer is handled only after the lease's own local
        // deadline (TTL less the margin) has passed, so the lease is born dead.
        AtomicLong skew = new AtomicLong();
        GrpcFaults faults = new GrpcFaults().beforeFirstAnswer(GrpcFaults.LEASE_GRANT, () -> skew.addAndGet(TTL.toNanos()));
        Candidate c = candidate(etcd, "sched-a", faults, () -> System.nanoTime() + skew.get());
        c.election.start();
        assertThat(Await.next("elected", c.events)).isEqualTo("elected");
        assertThat(c.election.isLeader()).isTrue();
        assertThat(faults.calls(GrpcFaults.LEASE_GRANT)).as("lease grants").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aLeaseGrantedLateButStillAliveIsKeptAlive(EtcdServer etcd) throws InterruptedException {
        // The grant's answer is handled 0.9 s after the request (by the election's clock), leaving
        // the lease 0.6 s of local life, less than the keep-alive interval: it must be renewed
        // before its deadline, not given up at it. The first clock reading is the grant's send
        // time (start() reads it just before asking).
        AtomicLong skew = new AtomicLong();
        AtomicLong sentAt = new AtomicLong(Long.MIN_VALUE);
        LongSupplier clock = () -> {
            long now = System.nanoTime() + skew.get();
            sentAt.compareAndSet(Long.MIN_VALUE, now);
            return now;
        };
        long elapsed = TTL.toNanos() * 45 / 100;
        GrpcFaults faults = new GrpcFaults().beforeFirstAnswer(GrpcFaults.LEASE_GRANT,
                () -> skew.addAndGet(Math.max(0, sentAt.get() + elapsed - clock.getAsLong())));
        Candidate c = candidate(etcd, "sched-a", faults, clock);
        new KeyValues(c.etcd).get(name); // a warm connection, so the grant itself is quick
        c.election.start();
        assertThat(Await.next("elected", c.events)).isEqualTo("elected");
        assertThat(c.events.poll(TTL.toMillis() * 2, TimeUnit.MILLISECONDS)).as("a listener call within two TTLs").isNull();
        assertThat(c.election.isLeader()).isTrue();
        assertThat(faults.calls(GrpcFaults.LEASE_GRANT)).as("lease grants").isEqualTo(1);
    }

    @Test
    void aFirstGrantAndListingThatAreNeverAnsweredAreRetried(EtcdServer etcd) {
        GrpcFaults faults = new GrpcFaults().drop(GrpcFaults.LEASE_GRANT, 1).drop(GrpcFaults.RANGE, 1);
        Candidate c = candidate(etcd, "sched-a", faults, System::nanoTime);
        c.election.start();
        assertThat(Await.next("elected", c.events)).isEqualTo("elected");
        assertThat(faults.calls(GrpcFaults.LEASE_GRANT)).as("lease grants").isGreaterThanOrEqualTo(2);
        assertThat(faults.calls(GrpcFaults.RANGE)).as("reads of the key").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aStandbyWhoseWatchNeverAnswersStillTakesOver(EtcdServer etcd) {
        Candidate leader = candidate(etcd, "sched-a");
        leader.election.start();
        assertThat(Await.next("a elected", leader.events)).isEqualTo("elected");
        Candidate standby = candidate(etcd, "sched-b", new GrpcFaults().drop(GrpcFaults.WATCH, Integer.MAX_VALUE),
                System::nanoTime);
        standby.election.start();
        Await.until("b to see a lead", () -> standby.election.leader().equals(Optional.of("sched-a")));

        leader.election.close();
        assertThat(Await.next("b elected without its watch", standby.events, TTL.multipliedBy(3)))
                .isEqualTo("elected");
    }
}
