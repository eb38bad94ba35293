package io.remit.kit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code remit:} block of a service's configuration: who this instance is and where etcd is,
 * as the executor renders it from the spec's config template. Every field has a default, so a
 * service also runs alone from a plain config file (no etcd: static dependency URLs, no overlay).
 *
 * @param service       the service id, e.g. {@code fx}
 * @param version       the version running
 * @param instanceId    the Mesos task id of this instance ({@code local} when run by hand)
 * @param etcdEndpoints comma-separated etcd client URLs; empty when there is no registry
 * @param etcdUser      etcd user, or empty: then {@value #USER_ENV} from the environment, where the
 *                      executor puts the service's own etcd user (if any)
 * @param etcdPassword  etcd password, or empty: then {@value #PASSWORD_ENV} from the environment
 * @param etcdCaFile    the CA (PEM file) that signed etcd's certificate, for {@code https}
 *                      endpoints, or empty: then {@value #CA_FILE_ENV} from the environment, else
 *                      the JVM's trusted CAs
 * @param etcdCertFile  a client certificate (PEM file) for an etcd that asks for one, or empty:
 *                      then {@value #CERT_FILE_ENV} from the environment; with {@code etcdKeyFile}
 * @param etcdKeyFile   its private key (PKCS#8 PEM file), or empty: then {@value #KEY_FILE_ENV}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RemitSettings(String service, String version, String instanceId, String etcdEndpoints,
                            String etcdUser, String etcdPassword, String etcdCaFile, String etcdCertFile,
                            String etcdKeyFile) {

    /** Set by the executor for the service (executors' {@code LaunchSpec.Etcd}). */
    public static final String USER_ENV = "REMIT_ETCD_USER";
    public static final String PASSWORD_ENV = "REMIT_ETCD_PASSWORD";
    public static final String CA_FILE_ENV = "REMIT_ETCD_CA_FILE";
    public static final String CERT_FILE_ENV = "REMIT_ETCD_CERT_FILE";
    public static final String KEY_FILE_ENV = "REMIT_ETCD_KEY_FILE";

    public RemitSettings {
        service = orDefault(service, "service");
        version = orDefault(version, "dev");
        instanceId = orDefault(instanceId, "local");
        etcdEndpoints = etcdEndpoints == null ? "" : etcdEndpoints.strip();
        etcdUser = etcdUser == null ? "" : etcdUser.strip();
        etcdPassword = etcdPassword == null ? "" : etcdPassword;
        etcdCaFile = etcdCaFile == null ? "" : etcdCaFile.strip();
        etcdCertFile = etcdCertFile == null ? "" : etcdCertFile.strip();
        etcdKeyFile = etcdKeyFile == null ? "" : etcdKeyFile.strip();
    }

    /** Without a client certificate. */
    public RemitSettings(String service, String version, String instanceId, String etcdEndpoints,
                         String etcdUser, String etcdPassword, String etcdCaFile) {
        this(service, version, instanceId, etcdEndpoints, etcdUser, etcdPassword, etcdCaFile, null, null);
    }

    /**
     * These settings with what the config leaves empty of etcd's user, password, CA file and
     * client certificate taken from {@code env} ({@value #USER_ENV}, {@value #PASSWORD_ENV},
     * {@value #CA_FILE_ENV}, {@value #CERT_FILE_ENV}, {@value #KEY_FILE_ENV}).
     */
    public RemitSettings withEtcdFrom(java.util.Map<String, String> env) {
        boolean fromEnv = etcdUser.isEmpty() && !env.getOrDefault(USER_ENV, "").isBlank();
        boolean certFromEnv = etcdCertFile.isEmpty() && !env.getOrDefault(CERT_FILE_ENV, "").isBlank();
        return new RemitSettings(service, version, instanceId, etcdEndpoints,
                fromEnv ? env.get(USER_ENV) : etcdUser,
                fromEnv ? env.getOrDefault(PASSWORD_ENV, "") : etcdPassword,
                etcdCaFile.isEmpty() ? env.getOrDefault(CA_FILE_ENV, "") : etcdCaFile,
                certFromEnv ? env.get(CERT_FILE_ENV) : etcdCertFile,
                certFromEnv ? env.getOrDefault(KEY_FILE_ENV, "") : etcdKeyFile);
    }

    /** Settings for a service run by hand under {@code name}, without etcd. */
    public static RemitSettings local(String name) {
        return new RemitSettings(name, null, null, null, null, null, null);
    }

    /** The etcd endpoints as a list; empty when there is no registry. */
    public List<String> endpoints() {
        return Arrays.stream(etcdEndpoints.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public boolean hasEtcd() {
        return !endpoints().isEmpty();
    }

    @Override
    public String toString() {
        return "RemitSettings[service=" + service + ", version=" + version + ", instanceId=" + instanceId
                + ", etcdEndpoints=" + etcdEndpoints + ", etcdUser=" + etcdUser
                + ", etcdPassword=" + (etcdPassword.isEmpty() ? "" : "***") + ", etcdCaFile=" + etcdCaFile
                + ", etcdCertFile=" + etcdCertFile + ", etcdKeyFile=" + etcdKeyFile + "]";
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
