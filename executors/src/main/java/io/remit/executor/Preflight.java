package io.remit.executor;

import io.remit.executor.api.ConfigTemplate;
import io.remit.executor.api.LaunchSpec;
import io.remit.executor.api.TemplateException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What must hold before a service JVM is started, all checked at once so that a failed launch
 * names every problem: the config template renders, each assigned port can be bound on this
 * host, the artifact is in the sandbox.
 */
final class Preflight {

    /** The checks' outcome: the rendered config, or every problem. */
    record Outcome(String config, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private Preflight() {
    }

    static Outcome check(LaunchSpec spec, Path sandbox) {
        List<String> problems = new ArrayList<>();
        String config = null;
        try {
            config = ConfigTemplate.render(spec.configTemplate(), ConfigTemplate.values(spec));
        } catch (TemplateException e) {
            problems.add("config template: " + e.getMessage());
        }
        for (Map.Entry<String, Integer> port : spec.ports().entrySet()) {
            taken(port.getValue()).ifPresent(why -> problems.add("port " + port.getValue() + " (" + port.getKey()
                    + ") is already in use on this host: " + why));
        }
        Path artifact = spec.artifact() == null ? null : sandbox.resolve(spec.artifact());
        if (artifact != null && !Files.isRegularFile(artifact)) {
            problems.add("artifact '" + spec.artifact() + "' is not in the sandbox " + sandbox
                    + " (was it among the ExecutorInfo's CommandInfo.uris?)");
        }
        return new Outcome(config, List.copyOf(problems));
    }

    /**
     * Why {@code port} cannot be bound on all interfaces, as the service will bind it, or empty
     * when it can. Binding is the only honest test: a port may be held by any process.
     */
    static Optional<String> taken(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }
}
