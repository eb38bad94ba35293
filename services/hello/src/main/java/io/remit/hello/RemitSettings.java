package io.remit.hello;

/**
 * The {@code remit:} block of a service's configuration: who this instance is, as the executor
 * rendered it from the spec's config template.
 *
 * @param service the service id, e.g. {@code hello}
 * @param version the service version running
 * @param instanceId the Mesos task id of this instance
 * @param etcdEndpoints comma-separated etcd client URLs, empty when there is no registry
 */
public record RemitSettings(String service, String version, String instanceId, String etcdEndpoints) {

    /** What an instance started by hand, without a {@code remit:} block, calls itself. */
    public static final RemitSettings LOCAL = new RemitSettings("hello", "dev", "local", "");

    public RemitSettings {
        service = orDefault(service, "hello");
        version = orDefault(version, "dev");
        instanceId = orDefault(instanceId, "local");
        etcdEndpoints = etcdEndpoints == null ? "" : etcdEndpoints.strip();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
