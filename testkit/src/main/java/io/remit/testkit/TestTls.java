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
                extendedKeyUsage=serverAuth,clientAuth
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

    /**
     * A client certificate signed by this CA, for {@code --client-cert-auth}: {@code <name>.pem}
     * and its key {@code <name>.key} (PKCS#8) in the CA's folder, made once per name.
     */
    EtcdServer.ClientCert clientCert(String name, String subject) throws IOException {
        Path dir = caCert.getParent();
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        if (!Files.exists(cert)) {
            Path csr = dir.resolve(name + ".csr");
            Path ext = dir.resolve(name + ".ext");
            Files.writeString(ext, """
                    basicConstraints=CA:FALSE
                    keyUsage=digitalSignature
                    extendedKeyUsage=clientAuth
                    """, StandardCharsets.US_ASCII);
            openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key.toString(), "-out", csr.toString(), "-subj", subject);
            openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey",
                    dir.resolve("ca.key").toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2",
                    "-extfile", ext.toString());
        }
        return new EtcdServer.ClientCert(cert, key);
    }

    /** A client context that trusts only this CA. */
    SSLContext clientContext() {
        return clientContext(null);
    }

    /** A client context that trusts only this CA and presents {@code own}, when given. */
    SSLContext clientContext(EtcdServer.ClientCert own) {
        try (InputStream in = Files.newInputStream(caCert)) {
            KeyStore cas = KeyStore.getInstance(KeyStore.getDefaultType());
            cas.load(null, null);
            int i = 0;
            for (Certificate ca : List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in))) {
                cas.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(cas);
            javax.net.ssl.KeyManager[] keys = null;
            if (own != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                java.security.cert.Certificate cert;
                try (InputStream certIn = Files.newInputStream(own.certFile())) {
                    cert = CertificateFactory.getInstance("X.509").generateCertificate(certIn);
                }
                store.setKeyEntry("client", privateKey(own.keyFile()), new char[0], new Certificate[] {cert});
                javax.net.ssl.KeyManagerFactory kmf =
                        javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, new char[0]);
                keys = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test CA " + caCert + ": " + e.getMessage(), e);
        }
    }

    /** A PKCS#8 PEM EC key, as openssl 3 writes it. */
    private static java.security.PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(pem)));
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
