package io.remit.scheduler.spec;

import java.util.List;

/**
 * What one instance of a service needs from an agent.
 *
 * @param cpus CPU shares, greater than 0; placement works in thousandths of a CPU, as Mesos does
 * @param memMb memory in MB (2^20 bytes), at least 32
 * @param diskMb disk in MB, 0 or more
 * @param ports names of the ports the instance needs (e.g. {@code http}, {@code admin}); each is
 *     given a concrete number from the offer at launch and rendered into the config as
 *     {@code {{port.<name>}}}. Names are unique.
 */
public record Resources(double cpus, int memMb, int diskMb, List<String> ports) {

    public Resources {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
