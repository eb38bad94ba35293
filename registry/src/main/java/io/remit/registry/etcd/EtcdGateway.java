package io.remit.registry.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The few etcd v3 calls a registration needs, made over etcd's JSON gateway ({@code POST /v3/...}
 * on the client port, served by etcd 3.4 and later) with the JDK's HTTP client: lease grant,
 * keep-alive and revoke, put, and a delete guarded by a compare. Keys and values travel base64
 * encoded and 64-bit numbers as strings, as the gateway's protobuf JSON mapping has them.
 *
 * <p>A call goes to the endpoint that answered last and moves on to the next one when it cannot
 * connect. With a user and password it authenticates first and again when etcd says the token is
 * no longer valid. Each call blocks up to the settings' request timeout. Thread-safe.
 */
public final class EtcdGateway {

    /** gRPC status codes as the gateway reports them in {@code "code"}. */
    static final int NOT_FOUND = 5;
    private static final int UNAUTHENTICATED = 16;

    private final EtcdSettings settings;
    private final List<URI> endpoints;
    private final HttpClient http;
    private volatile int current;
    private volatile String token;

    /** @throws InvalidSettingsException if the settings, or the TLS files they name, cannot be used */
    public EtcdGateway(EtcdSettings settings) {
        this.settings = settings.validated();
        List<URI> uris = new ArrayList<>();
        for (String endpoint : settings.endpoints()) {
            uris.add(URI.create(endpoint.trim().replaceAll("/$", "")));
        }
        this.endpoints = List.copyOf(uris);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.connectTimeout());
        if (settings.tls() != null) {
            builder.sslContext(sslContext(settings.tls()));
        }
        this.http = builder.build();
    }

    /** etcd's version, from the member answering: a call that reads and writes nothing. */
    public String version() {
        return call("/v3/maintenance/status", Json.MAPPER.createObjectNode()).path("version").asText("?");
    }

    /** Grants a lease of {@code ttl} (whole seconds); its id. */
    public long grant(Duration ttl) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("TTL", ttl.toSeconds());
        return call("/v3/lease/grant", body).path("ID").asLong();
    }

    /** Writes {@code key} bound to {@code lease}; the revision of the write. */
    public long put(String key, byte[] value, long lease) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("key", base64(key.getBytes(StandardCharsets.UTF_8)))
                .put("value", base64(value))
                .put("lease", Long.toString(lease));
        return call("/v3/kv/put", body).path("header").path("revision").asLong();
    }

    /** Renews {@code lease}; the seconds it has left, 0 when etcd no longer has it. */
    public long keepAlive(long lease) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("ID", Long.toString(lease));
        JsonNode answer = call("/v3/lease/keepalive", body);
        if (!answer.has("result")) {
            throw new RegistryException("etcd answered a keep-alive of lease " + Long.toHexString(lease)
                    + " without a result: " + answer);
        }
        return answer.path("result").path("TTL").asLong(0);
    }

    /** Deletes {@code key} if its last write is still {@code revision}; whether it did. */
    public boolean deleteIfModifiedAt(String key, long revision) {
        String encoded = base64(key.getBytes(StandardCharsets.UTF_8));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("compare").addObject()
                .put("key", encoded).put("target", "MOD").put("result", "EQUAL").put("mod_revision", Long.toString(revision));
        body.putArray("success").addObject().putObject("request_delete_range").put("key", encoded);
        return call("/v3/kv/txn", body).path("succeeded").asBoolean(false);
    }

    /** Revokes {@code lease}, deleting the keys bound to it; a lease etcd no longer has is fine. */
    public void revoke(long lease) {
        try {
            call("/v3/lease/revoke", Json.MAPPER.createObjectNode().put("ID", Long.toString(lease)));
        } catch (GatewayException e) {
            if (e.code != NOT_FOUND) {
                throw e;
            }
        }
    }

    private boolean authenticates() {
        return settings.user() != null && !settings.user().isBlank();
    }

    private JsonNode call(String path, ObjectNode body) {
        try {
            return send(path, body);
        } catch (GatewayException e) {
            if (e.code != UNAUTHENTICATED || !authenticates()) {
                throw e;
            }
            token = null; // expired or revoked: once more with a new one
            return send(path, body);
        }
    }

    private JsonNode send(String path, ObjectNode body) {
        if (authenticates() && token == null && !path.equals("/v3/auth/authenticate")) {
            authenticate();
        }
        byte[] json = Json.write(body);
        RegistryException unreachable = null;
        int start = current;
        for (int i = 0; i < endpoints.size(); i++) {
            int index = (start + i) % endpoints.size();
            URI uri = endpoints.get(index).resolve(path);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json));
            String t = token;
            if (t != null) {
                request.header("Authorization", t);
            }
            HttpResponse<byte[]> response;
            try {
                response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                        .get(settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ConnectException || e.getCause() instanceof HttpConnectTimeoutException) {
                    // refused, or no connection within the connect timeout: the next member
                    unreachable = new RegistryException("etcd at " + endpoints.get(index) + " is unreachable", e.getCause());
                    continue;
                }
                current = (index + 1) % endpoints.size(); // the next call tries another member first
                throw new RegistryException("etcd call " + path + " at " + endpoints.get(index) + " failed: "
                        + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                current = (index + 1) % endpoints.size();
                throw new RegistryException("etcd call " + path + " at " + endpoints.get(index) + " did not answer within "
                        + settings.requestTimeout(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted during etcd call " + path, e);
            }
            current = index;
            return answer(path, response);
        }
        throw unreachable;
    }

    private static JsonNode answer(String path, HttpResponse<byte[]> response) {
        JsonNode answer;
        try {
            // A streaming call (keep-alive) answers one JSON object per line; there is one here.
            answer = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException("etcd call " + path + ": unreadable answer (HTTP " + response.statusCode() + ")", e);
        }
        if (answer == null) {
            throw new RegistryException("etcd call " + path + ": empty answer (HTTP " + response.statusCode() + ")");
        }
        JsonNode error = answer.path("error");
        if (response.statusCode() != 200 || error.isTextual() || error.isObject()) {
            JsonNode detail = error.isObject() ? error : answer;
            String message = detail.path("message").asText(error.asText(answer.toString()));
            int code = detail.has("code") ? detail.path("code").asInt(-1) : detail.path("grpc_code").asInt(-1);
            throw new GatewayException(path, response.statusCode(), code, message);
        }
        return answer;
    }

    private void authenticate() {
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", settings.user()).put("password", settings.password());
        JsonNode answer = send("/v3/auth/authenticate", body);
        String t = answer.path("token").asText("");
        if (t.isEmpty()) {
            throw new RegistryException("etcd did not give user '" + settings.user() + "' a token: " + answer);
        }
        token = t;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Trusts the CA file (or the JVM's CAs) and presents the client certificate if there is one. */
    private static SSLContext sslContext(EtcdSettings.Tls tls) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile() != null) {
                KeyStore cas = KeyStore.getInstance(KeyStore.getDefaultType());
                cas.load(null, null);
                int i = 0;
                for (Certificate ca : certificates(tls.caFile())) {
                    cas.setCertificateEntry("ca-" + i++, ca);
                }
                trust.init(cas);
            } else {
                trust.init((KeyStore) null);
            }
            KeyManagerFactory keys = null;
            if (tls.certFile() != null) {
                KeyStore own = KeyStore.getInstance(KeyStore.getDefaultType());
                own.load(null, null);
                char[] none = new char[0];
                own.setKeyEntry("client", privateKey(tls.keyFile()), none,
                        certificates(tls.certFile()).toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(own, none);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidSettingsException("etcd", List.of("tls: cannot use the TLS files: " + e.getMessage()));
        }
    }

    private static List<Certificate> certificates(java.nio.file.Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static PrivateKey privateKey(java.nio.file.Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(pem + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY)");
        }
        String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** etcd refused a call: the HTTP status and the gRPC code it gave. */
    public static final class GatewayException extends RegistryException {

        final int status;
        final int code;

        public GatewayException(String path, int status, int code, String message) {
            super("etcd call " + path + " refused (HTTP " + status + ", code " + code + "): " + message);
            this.status = status;
            this.code = code;
        }
    }
}
