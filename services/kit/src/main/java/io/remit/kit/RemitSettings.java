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
 * @param etcdUser      etcd user, or empty
 * @param etcdPassword  etcd password, or empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RemitSettings(String service, String version, String instanceId, String etcdEndpoints,
                            String etcdUser, String etcdPassword) {

    public RemitSettings {
        service = orDefault(service, "service");
        version = orDefault(version, "dev");
        instanceId = orDefault(instanceId, "local");
        etcdEndpoints = etcdEndpoints == null ? "" : etcdEndpoints.strip();
        etcdUser = etcdUser == null ? "" : etcdUser.strip();
        etcdPassword = etcdPassword == null ? "" : etcdPassword;
    }

    /** Settings for a service run by hand under {@code name}, without etcd. */
    public static RemitSettings local(String name) {
        return new RemitSettings(name, null, null, null, null, null);
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
                + ", etcdPassword=" + (etcdPassword.isEmpty() ? "" : "***") + "]";
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
