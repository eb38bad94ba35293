package io.remit.registry.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.EtcdSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC interceptor for {@link Etcd#connect(EtcdSettings, java.util.List)} that tampers with
 * etcd's answers to chosen methods: it swallows the answers of some calls (as if they were lost,
 * so the call never completes) or runs a hook just before an answer is delivered. Thread-safe.
 */
public final class GrpcFaults implements ClientInterceptor {

    public static final String LEASE_GRANT = "etcdserverpb.Lease/LeaseGrant";
    public static final String RANGE = "etcdserverpb.KV/Range";
    public static final String WATCH = "etcdserverpb.Watch/Watch";

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> toDrop = new ConcurrentHashMap<>();
    private final Map<String, Runnable> hooks = new ConcurrentHashMap<>();

    /** The next {@code count} calls of {@code method} never receive anything from etcd. */
    public GrpcFaults drop(String method, int count) {
        toDrop.put(method, new AtomicInteger(count));
        return this;
    }

    /** Runs {@code hook} once, on a gRPC thread, just before the first answer of {@code method} is delivered. */
    public GrpcFaults beforeFirstAnswer(String method, Runnable hook) {
        hooks.put(method, hook);
        return this;
    }

    /** How many calls of {@code method} were started. */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        String name = method.getFullMethodName();
        calls.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        AtomicInteger dropping = toDrop.get(name);
        boolean drop = dropping != null && dropping.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        Runnable hook = drop ? null : hooks.remove(name);
        if (!drop && hook == null) {
            return next.newCall(method, options);
        }
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<A> listener, Metadata headers) {
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onHeaders(Metadata h) {
                        if (!drop) {
                            super.onHeaders(h);
                        }
                    }

                    @Override
                    public void onMessage(A message) {
                        if (drop) {
                            return;
                        }
                        if (hook != null) {
                            hook.run();
                        }
                        super.onMessage(message);
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        if (!drop) {
                            super.onClose(status, trailers);
                        }
                    }
                }, headers);
            }
        };
    }
}
