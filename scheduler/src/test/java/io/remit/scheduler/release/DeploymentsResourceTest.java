package io.remit.scheduler.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.remit.http.ApiException;
import io.remit.scheduler.TestSpecs;
import io.remit.scheduler.api.StateView;
import io.remit.scheduler.auth.Caller;
import io.remit.scheduler.auth.Role;
import io.remit.scheduler.engine.EngineSnapshot;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.state.InMemorySpecStore;
import io.remit.scheduler.state.Revision;
import io.remit.scheduler.state.SpecCodec;
import io.remit.scheduler.state.SpecStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An operator's rollback of a deployment ({@code POST /v1/deployments/{id}/rollback}) on the
 * in-memory stores: a succeeded one puts its old spec back as the caller's change, only if the
 * service is still as checked; one that created its service has nothing to go back to.
 */
class DeploymentsResourceTest {

    static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");
    final SpecCodec codec = SpecCodec.plain();
    final ServiceSpec v1 = TestSpecs.spec("fx", 3);
    final ServiceSpec v2 = v1.withVersion("2.0.0");
    final RecordStore<Deployment> deployments = RecordStore.inMemory(Deployment::id, Comparator.comparing(Deployment::createdAt));

    DeploymentsResource resource(SpecStore specs) {
        return new DeploymentsResource(deployments, specs, codec, new NoEngine(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** fx at v2, and the deployment from v1 to v2 in {@code state}. */
    Deployment deployed(SpecStore specs, Deployment.State state) {
        specs.create(v1);
        specs.put(v2, 0);
        Deployment d = Deployments.create("fx-2", v2, v1.revision(), v1.version(), codec.encode(v1), NOW, null, null, "ann");
        if (state != Deployment.State.RUNNING) {
            d = d.edit().state(state, "test", NOW).done(NOW);
        }
        deployments.create(d);
        return d;
    }

    @Test
    void aSucceededDeploymentsRollbackIsANewRevisionByTheCallerAnswered201WithItsNumber() {
        InMemorySpecStore specs = new InMemorySpecStore();
        deployed(specs, Deployment.State.SUCCEEDED);

        Response r = resource(specs).rollback("fx-2", request("ann", "UTF-8''back to 1.0.0 %E2%80%93 quotes broke"));

        assertThat(r.getStatus()).isEqualTo(201);
        Revision newest = specs.revisions("fx").get(0);
        assertThat(r.getHeaderString("X-Remit-Revision")).isEqualTo(Long.toString(newest.number()));
        assertThat(r.getLocation()).hasToString("/v1/services/fx/revisions/" + newest.number());
        assertThat(newest.spec().version()).isEqualTo("1.0.0");
        assertThat(newest.who()).isEqualTo("ann");
        assertThat(newest.message()).isEqualTo("back to 1.0.0 \u2013 quotes broke");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) r.getEntity();
        assertThat(body).containsEntry("revision", newest.number()).containsEntry("changed", true)
                .containsEntry("deployment", "fx-2").containsEntry("version", "1.0.0");
    }

    @Test
    void aBadChangeMessageIsRefusedNamingTheHeaderAndChangesNothing() {
        InMemorySpecStore specs = new InMemorySpecStore();
        deployed(specs, Deployment.State.SUCCEEDED);
        int before = specs.revisions("fx").size();

        assertThatThrownBy(() -> resource(specs).rollback("fx-2", request("ann", "two\nlines")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.details()).anySatisfy(d -> assertThat(d.path()).isEqualTo("X-Remit-Message"));
                });
        assertThat(specs.revisions("fx")).hasSize(before);
        assertThat(specs.get("fx").orElseThrow().spec().version()).isEqualTo("2.0.0");
    }

    @Test
    void aChangeMadeBetweenTheCheckAndTheWriteIsKeptAndTheRollbackIs409() {
        InMemorySpecStore store = new InMemorySpecStore();
        deployed(store, Deployment.State.SUCCEEDED);
        ServiceSpec v3 = v1.withVersion("3.0.0");
        // Another operator's change lands right after the rollback read the service.
        SpecStore racing = new Racing(store, () -> store.put(v3, 0));

        assertThatThrownBy(() -> resource(racing).rollback("fx-2", request("ann", null)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("changed meanwhile");
                });
        assertThat(store.get("fx").orElseThrow().spec().version()).as("the other change stays").isEqualTo("3.0.0");
    }

    @Test
    void aRunningDeploymentThatCreatedItsServiceHasNothingToRollBackTo409AndKeepsRunning() {
        InMemorySpecStore specs = new InMemorySpecStore();
        specs.create(v1);
        Deployment d = Deployments.create("fx-1", v1, null, null, null, NOW, null, null, "ann");
        deployments.create(d);

        assertThatThrownBy(() -> resource(specs).rollback("fx-1", request("ann", null)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.details()).anySatisfy(v -> assertThat(v.path()).isEqualTo("from"));
                });
        assertThat(deployments.get("fx-1").orElseThrow().value().state()).isEqualTo(Deployment.State.RUNNING);
    }

    @Test
    void aPausedDeploymentWithAnEarlierRevisionRollsBack() {
        InMemorySpecStore specs = new InMemorySpecStore();
        deployed(specs, Deployment.State.PAUSED);

        Response r = resource(specs).rollback("fx-2", request("ann", null));

        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(deployments.get("fx-2").orElseThrow().value().state()).isEqualTo(Deployment.State.ROLLING_BACK);
    }

    /** A request by operator {@code who}, with {@code X-Remit-Message: message} unless null. */
    static HttpServletRequest request(String who, String message) {
        Caller caller = new Caller(who, Role.operator, "token");
        return (HttpServletRequest) Proxy.newProxyInstance(DeploymentsResourceTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> Caller.ATTRIBUTE.equals(args[0]) ? caller : null;
                    case "getHeader" -> "X-Remit-Message".equalsIgnoreCase((String) args[0]) ? message : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** No engine runs here (as on a standby): nothing to wait for. */
    static final class NoEngine implements StateView {
        @Override
        public EngineSnapshot snapshot() {
            throw new UnsupportedOperationException("not read by a rollback");
        }

        @Override
        public boolean isLeader() {
            return false;
        }

        @Override
        public Optional<String> leaderUrl() {
            return Optional.empty();
        }

        @Override
        public String selfUrl() {
            return "http://127.0.0.1:1";
        }
    }

    /** A spec store where {@code meanwhile} runs once, right after the first read of a spec. */
    static final class Racing implements SpecStore {
        private final SpecStore store;
        private final Runnable meanwhile;
        private final AtomicBoolean done = new AtomicBoolean();

        Racing(SpecStore store, Runnable meanwhile) {
            this.store = store;
            this.meanwhile = meanwhile;
        }

        @Override
        public Optional<Stored> get(String id) {
            Optional<Stored> read = store.get(id);
            if (done.compareAndSet(false, true)) {
                meanwhile.run();
            }
            return read;
        }

        @Override
        public Map<String, Stored> all() {
            return store.all();
        }

        @Override
        public Written create(ServiceSpec spec, Change change) {
            return store.create(spec, change);
        }

        @Override
        public Written put(ServiceSpec spec, long expectedModRevision, Change change) {
            return store.put(spec, expectedModRevision, change);
        }

        @Override
        public boolean delete(String id) {
            return store.delete(id);
        }

        @Override
        public List<Revision> revisions(String id) {
            return store.revisions(id);
        }

        @Override
        public Optional<Revision> revision(String id, long number) {
            return store.revision(id, number);
        }

        @Override
        public Watch watch(Duration ready) {
            return store.watch(ready);
        }
    }
}
