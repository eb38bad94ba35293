package io.remit.executor;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The executor's default {@link SSLContext}: the JVM's own default context, made when something
 * first uses TLS rather than at start-up. The JDK's HTTP client takes the default context when it
 * is built, even for plain HTTP, and making it (security providers, signature schemes, cipher
 * suites, reading the trust store's certificates) costs some 200 ms of CPU in a fresh JVM. The
 * executor speaks plain HTTP to its agent and to its service's health check, and jetcd has its own
 * TLS, so that work is never needed.
 *
 * <p>Every TLS operation goes to {@code SSLContext.getInstance("Default")}, with the JVM's
 * {@code javax.net.ssl.*} settings, as before. The one answer that does not:
 * {@link SSLContext#getDefaultSSLParameters()} is an {@link SSLParameters} with nothing set, which
 * the HTTP client copies onto each engine it makes, and nothing set there keeps the engine's own
 * defaults: those of the JVM's default context, which made the engine.
 */
final class LazyTls extends SSLContextSpi {

    private static final Provider PROVIDER = new Provider("RemitLazyTls", "1", "the JVM's default SSLContext, made on first use") {
        private static final long serialVersionUID = 1L;
    };

    private volatile SSLContext jvmDefault;

    /** Makes this the JVM's default context; call it before anything takes the default. */
    static void installDefault() {
        SSLContext.setDefault(context());
    }

    static SSLContext context() {
        return new SSLContext(new LazyTls(), PROVIDER, "Default") { };
    }

    private SSLContext jvmDefault() {
        SSLContext c = jvmDefault;
        if (c == null) {
            synchronized (this) {
                if (jvmDefault == null) {
                    try {
                        jvmDefault = SSLContext.getInstance("Default");
                    } catch (NoSuchAlgorithmException e) {
                        throw new IllegalStateException("no default SSLContext", e);
                    }
                }
                c = jvmDefault;
            }
        }
        return c;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
        throw new KeyManagementException("the default SSLContext is initialised by the JVM");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return jvmDefault().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return jvmDefault().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return jvmDefault().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return jvmDefault().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return jvmDefault().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return jvmDefault().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return new SSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return jvmDefault().getSupportedSSLParameters();
    }
}
