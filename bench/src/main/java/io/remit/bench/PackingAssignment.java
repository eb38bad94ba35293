package io.remit.bench;

import java.util.List;

/** A placer's answer for one task: the host (by index) and the port numbers it took there. */
record PackingAssignment(PackingTask task, int host, List<Integer> ports) {

    PackingAssignment {
        ports = List.copyOf(ports);
    }
}
