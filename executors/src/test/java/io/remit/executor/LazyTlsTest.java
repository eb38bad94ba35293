package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LazyTlsTest {

    /** What the HTTP client does with a context: copy its default parameters onto each engine it makes. */
    private static SSLEngine clientEngine(SSLContext context) {
        SSLParameters defaults = context.getDefaultSSLParameters();
        SSLParameters p = new SSLParameters();
        p.setCipherSuites(defaults.getCipherSuites());
        p.setProtocols(defaults.getProtocols());
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setApplicationProtocols(new String[] {"http/1.1"});
        SSLEngine engine = context.createSSLEngine("example.org", 443);
        engine.setUseClientMode(true);
        engine.setSSLParameters(p);
        return engine;
    }

    @Test
    void enginesAreThoseOfTheJvmsDefaultContext() throws Exception {
        SSLEngine jvm = clientEngine(SSLContext.getInstance("Default"));
        SSLEngine lazy = clientEngine(LazyTls.context());
        assertThat(lazy.getEnabledProtocols()).containsExactly(jvm.getEnabledProtocols());
        assertThat(lazy.getEnabledCipherSuites()).containsExactly(jvm.getEnabledCipherSuites());
        assertThat(lazy.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(lazy.getSSLParameters().getUseCipherSuitesOrder()).isEqualTo(jvm.getSSLParameters().getUseCipherSuitesOrder());
        assertThat(lazy.getSSLParameters().getMaximumPacketSize()).isEqualTo(jvm.getSSLParameters().getMaximumPacketSize());
        assertThat(LazyTls.context().getSupportedSSLParameters().getProtocols())
                .containsExactly(SSLContext.getInstance("Default").getSupportedSSLParameters().getProtocols());
    }

    /** A server the JVM's trust store does not know is refused, as with the JVM's own context. */
    @Test
    void checksTheServerAsTheJvmsDefaultDoes(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(LazyTls.context()).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .build();
            assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(SSLHandshakeException.class);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void cannotBeInitialisedAgain() {
        assertThatThrownBy(() -> LazyTls.context().init(null, null, null))
                .isInstanceOf(java.security.KeyManagementException.class);
    }
}
