package io.remit.scheduler.release;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValues;
import java.util.Map;
import java.util.TreeMap;

/**
 * The discovery traffic record of a service ({@code /remit/traffic/<service>}): the share of
 * requests, in percent, each version gets from the kit's clients, e.g.
 * {@code {"versions": {"1.4.2": 90, "1.5.0": 10}}}. Written by the deployment runner for a
 * canary step with a {@code weight} and around a blue/green switch; without a record, requests
 * spread over every instance. Clients watch it, so a change takes effect without a restart.
 */
public interface TrafficRecords {

    /** Where the records live ({@link io.remit.registry.etcd.Keys#traffic}), read by the kit's {@code TrafficRules}. */
    String PREFIX = io.remit.registry.etcd.Keys.TRAFFIC;

    /** Sets the record of {@code service}. */
    void put(String service, Map<String, Integer> versions);

    /** Removes the record of {@code service}: requests spread over every instance again. */
    void remove(String service);

    /** The record's JSON. */
    static String json(Map<String, Integer> versions) {
        return RecordStore.write(Map.of("versions", new TreeMap<>(versions)));
    }

    static TrafficRecords etcd(Etcd etcd) {
        KeyValues kv = new KeyValues(etcd);
        return new TrafficRecords() {
            @Override
            public void put(String service, Map<String, Integer> versions) {
                kv.put(io.remit.registry.etcd.Keys.traffic(service), json(versions));
            }

            @Override
            public void remove(String service) {
                kv.delete(io.remit.registry.etcd.Keys.traffic(service));
            }
        };
    }
}
