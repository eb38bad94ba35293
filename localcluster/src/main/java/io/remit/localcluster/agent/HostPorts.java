package io.remit.localcluster.agent;

import io.remit.localcluster.resources.Ranges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The TCP ports some process on this host holds, from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}: a port in the agent's range that is bound (listening or connected, in
 * any state but TIME_WAIT) cannot be given to a task, which would fail to bind it, so it is
 * left out of offers. This covers processes the agent no longer knows, such as those left
 * behind by an earlier run. Without {@code /proc} (not Linux) nothing is found held.
 */
final class HostPorts {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String TIME_WAIT = "06";

    private HostPorts() {
    }

    /** The ports of {@code candidates} that some socket on the host is bound to. */
    static Ranges held(Ranges candidates) {
        if (candidates.isEmpty()) {
            return Ranges.EMPTY;
        }
        TreeSet<Long> ports = new TreeSet<>();
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                continue;
            }
            for (int i = 1; i < lines.size(); i++) {
                // "  sl  local_address rem_address   st ...": local is HEXIP:HEXPORT.
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length < 4 || f[3].equals(TIME_WAIT)) {
                    continue;
                }
                int colon = f[1].lastIndexOf(':');
                if (colon < 0) {
                    continue;
                }
                try {
                    long port = Long.parseLong(f[1].substring(colon + 1), 16);
                    if (candidates.contains(Ranges.of(port, port))) {
                        ports.add(port);
                    }
                } catch (NumberFormatException e) {
                    // a line we do not understand holds nothing we can use
                }
            }
        }
        Ranges held = Ranges.EMPTY;
        for (long p : ports) {
            held = held.plus(Ranges.of(p, p));
        }
        return held;
    }
}
