package io.remit.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA and a server certificate signed by it, for 127.0.0.1 and localhost, made with the
 * {@code openssl} command (EC P-256 keys, PKCS#8 PEM as etcd and netty read them) in a folder of
 * the test's own: the same files {@code ./remit local --secure-etcd} makes under
 * {@code var/etcd-tls/}. The binary is {@code $OPENSSL_BIN}, else {@code openssl} on the PATH.
 */
record TestTls(Path caCert, Path serverCert, Path serverKey) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static TestTls create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path caCert = dir.resolve("ca.pem");
        Path serverKey = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path serverCert = dir.resolve("server.pem");
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, """
                basicConstraints=CA:FALSE
                keyUsage=digitalSignature,keyEncipherment
                extendedKeyUsage=serverAuth
                subjectAltName=IP:127.0.0.1,DNS:localhost
                """, StandardCharsets.US_ASCII);
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "2", "-subj", "/CN=remit-test-etcd-ca");
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", serverKey.toString(), "-out", csr.toString(), "-subj", "/CN=127.0.0.1");
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", serverCert.toString(), "-days", "2", "-extfile", ext.toString());
        return new TestTls(caCert, serverCert, serverKey);
    }

    /** A client context that trusts only this CA. */
    SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(caCert)) {
            KeyStore cas = KeyStore.getInstance(KeyStore.getDefaultType());
            cas.load(null, null);
            int i = 0;
            for (Certificate ca : List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in))) {
                cas.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(cas);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test CA " + caCert + ": " + e.getMessage(), e);
        }
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>();
        String env = System.getenv("OPENSSL_BIN");
        argv.add(env != null && !env.isBlank() ? env : "openssl");
        argv.addAll(List.of(args));
        Path out = dir.resolve("openssl.log");
        Process p;
        try {
            p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        } catch (IOException e) {
            throw new IOException("could not run openssl (" + argv.get(0) + "): " + e.getMessage()
                    + ". Install it with: apt-get install -y openssl", e);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl " + args[0] + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " exited with " + p.exitValue() + ": "
                    + Files.readString(out));
        }
    }
}
