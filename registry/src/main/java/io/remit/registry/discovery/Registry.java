package io.remit.registry.discovery;

import io.remit.registry.etcd.RegistryException;
import java.time.Duration;

/**
 * Where live instances announce themselves. The executor registers its instance once it is
 * healthy and deregisters it first thing when draining; clients find instances through a
 * {@link DiscoveryCache}. {@link EtcdRegistry} is the implementation.
 */
public interface Registry {

    /**
     * Writes {@code instance} under {@code /remit/discovery/<service>/<taskId>}, bound to a lease
     * of {@code ttl}, and keeps the lease alive until {@link Registration#deregister()}. Blocks
     * until the key is written.
     *
     * <p>If etcd becomes unreachable for longer than the TTL the key expires; the registration
     * then reports {@link Registration.State#LOST} and writes the key again, under a new lease,
     * as soon as etcd answers, reporting {@link Registration.State#REGISTERED}.
     *
     * @param ttl how long the key outlives its process; whole seconds, at least etcd's minimum
     *            (about 2 s with default etcd settings)
     * @throws RegistryException if etcd did not accept the key within the request timeout
     */
    Registration register(Instance instance, Duration ttl, RegistrationListener listener);

    /** {@link #register(Instance, Duration, RegistrationListener)} without a listener. */
    default Registration register(Instance instance, Duration ttl) {
        return register(instance, ttl, RegistrationListener.NONE);
    }
}
