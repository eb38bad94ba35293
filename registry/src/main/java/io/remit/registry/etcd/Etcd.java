package io.remit.registry.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.ClientInterceptor;
import io.remit.registry.discovery.EtcdRegistry;
import io.remit.registry.election.EtcdLeaderElection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * One connection to an etcd cluster: owns a jetcd {@link Client}, which every component of this
 * package ({@link KeyValues}, {@link PrefixCache}, {@link EtcdRegistry}, {@link EtcdLeaderElection})
 * shares. jetcd types stay inside this package.
 *
 * <p>{@link #connect} does not contact the server: the first request does, and requests wait
 * (up to {@link EtcdSettings#requestTimeout()}) while etcd is unreachable. Thread-safe. Close the
 * components built on it first, then this.
 */
public final class Etcd implements AutoCloseable {

    private final EtcdSettings settings;
    private final Client client;
    private volatile boolean closed;

    private Etcd(EtcdSettings settings, Client client) {
        this.settings = settings;
        this.client = client;
    }

    /**
     * Validates {@code settings} (throwing an {@link InvalidSettingsException} listing every
     * problem) and builds a client for them.
     */
    public static Etcd connect(EtcdSettings settings) {
        return connect(settings, List.of());
    }

    /** As {@link #connect(EtcdSettings)}, with gRPC interceptors on every call (tests inject faults with them). */
    public static Etcd connect(EtcdSettings settings, List<ClientInterceptor> interceptors) {
        settings.validated();
        ClientBuilder builder = Client.builder()
                .endpoints(settings.endpoints().stream().map(String::trim).toArray(String[]::new))
                .connectTimeout(settings.connectTimeout());
        if (!interceptors.isEmpty()) {
            builder.interceptors(interceptors);
        }
        if (settings.user() != null && !settings.user().isBlank()) {
            builder.user(bytes(settings.user())).password(bytes(settings.password()));
        }
        EtcdSettings.Tls tls = settings.tls();
        if (tls != null) {
            try {
                builder.sslContext(ssl -> {
                    if (tls.caFile() != null) {
                        ssl.trustManager(tls.caFile().toFile());
                    }
                    if (tls.certFile() != null) {
                        ssl.keyManager(tls.certFile().toFile(), tls.keyFile().toFile());
                    }
                });
            } catch (SSLException | IllegalArgumentException e) {
                throw new InvalidSettingsException("etcd", List.of("tls: " + e.getMessage()));
            }
        }
        return new Etcd(settings, builder.build());
    }

    public EtcdSettings settings() {
        return settings;
    }

    /** Closes the jetcd client; outstanding requests fail and watches stop. Idempotent. */
    @Override
    public void close() {
        closed = true;
        client.close();
    }

    /** Whether {@link #close()} was called; background loops stop retrying then. */
    public boolean isClosed() {
        return closed;
    }

    public Client client() {
        return client;
    }

    public Duration requestTimeout() {
        return settings.requestTimeout();
    }

    /**
     * Waits for {@code future} up to the request timeout; failures and timeouts become a
     * {@link RegistryException} naming {@code what}. Must not be called on a jetcd callback thread.
     */
    public <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RegistryException(what + ": etcd did not answer within " + settings.requestTimeout(), e);
        } catch (ExecutionException e) {
            Throwable cause = cause(e);
            throw new RegistryException(what + ": " + describe(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new RegistryException(what + ": interrupted", e);
        }
    }

    /**
     * Starts {@code request} and returns its future, failing after the request timeout; a request
     * that throws instead of failing its future (e.g. on a closed client) yields a failed future.
     */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> request) {
        if (closed) {
            return CompletableFuture.failedFuture(new RegistryException("the etcd client is closed"));
        }
        try {
            return request.get().orTimeout(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@link #call} and {@link #await(CompletableFuture, String)}: a blocking request. */
    public <T> T await(Supplier<CompletableFuture<T>> request, String what) {
        return await(call(request), what);
    }

    /**
     * What failed, without the wrappers a future adds: the cause of a {@link CompletionException}
     * or {@link ExecutionException} (nested ones too), else the failure itself. The one place the
     * registry unwraps a future's failure.
     */
    public static Throwable cause(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The failure's message, with the innermost cause's when that says more: jetcd reports a
     * refused sign-in as "UNAUTHENTICATED" and the reason ("authentication failed, invalid user ID
     * or password") only in its cause.
     */
    public static String describe(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String inner = root.getMessage();
        return root == failure || inner == null || message.contains(inner) ? message : message + " (" + inner + ")";
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    public static String string(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    public static String utf8(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
