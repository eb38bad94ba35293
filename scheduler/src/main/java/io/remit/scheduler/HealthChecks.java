package io.remit.scheduler;

import com.codahale.metrics.health.HealthCheck;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import io.remit.scheduler.api.StateView;

/** The scheduler's health checks on the admin port. */
final class HealthChecks {

    private HealthChecks() {
    }

    /** Healthy while a read from etcd succeeds. */
    static final class EtcdReachable extends HealthCheck {
        private final KeyValues kv;

        EtcdReachable(KeyValues kv) {
            this.kv = kv;
        }

        @Override
        protected Result check() {
            kv.get(Keys.SCHEDULER_LEADER);
            return Result.healthy();
        }
    }

    /** A standby is healthy; a leader is healthy while it is subscribed to Mesos. */
    static final class MesosSubscribed extends HealthCheck {
        private final StateView state;

        MesosSubscribed(StateView state) {
            this.state = state;
        }

        @Override
        protected Result check() {
            if (!state.isLeader()) {
                return Result.healthy("standby; the leader is " + state.leaderUrl().orElse("not elected yet"));
            }
            return state.snapshot().subscribed() ? Result.healthy("leader, subscribed to Mesos")
                    : Result.unhealthy("leader, not subscribed to Mesos");
        }
    }
}
