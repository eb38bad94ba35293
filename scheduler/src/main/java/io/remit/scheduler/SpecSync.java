package io.remit.scheduler;

import io.remit.registry.RegistryException;
import io.remit.scheduler.spec.InvalidSpecException;
import io.remit.scheduler.spec.ServiceSpec;
import io.remit.scheduler.spec.SpecParser;
import io.remit.scheduler.spec.SpecValidator;
import io.remit.scheduler.spec.Violation;
import io.remit.scheduler.state.SpecStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, loads {@code configs/services/*.yml} into etcd: a new spec is created, a changed one
 * replaced (its old version kept in the history), an unchanged one left alone. Every file is
 * validated first; if any is invalid nothing is written and start fails listing every problem.
 */
final class SpecSync {

    private static final Logger LOG = LoggerFactory.getLogger(SpecSync.class);
    /** How long start waits for etcd to take the specs before it gives up. */
    private static final java.time.Duration ETCD_PATIENCE = java.time.Duration.ofMinutes(2);

    private SpecSync() {
    }

    static void sync(Path dir, SpecStore store) throws IOException {
        if (!Files.isDirectory(dir)) {
            LOG.info("No spec folder at {}; nothing to sync", dir.toAbsolutePath());
            return;
        }
        List<ServiceSpec> specs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")
                    || f.toString().endsWith(".json")).sorted().toList()) {
                String text = Files.readString(file);
                try {
                    specs.add(file.toString().endsWith(".json") ? SpecParser.parseJson(text) : SpecParser.parseYaml(text));
                } catch (InvalidSpecException e) {
                    for (Violation v : e.violations()) {
                        problems.add(file.getFileName() + ": " + v.path() + ": " + v.message());
                    }
                }
            }
        }
        for (Violation v : SpecValidator.validateAll(specs)) {
            problems.add(v.path() + ": " + v.message());
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid service specs in " + dir + ":\n  " + String.join("\n  ", problems));
        }
        // etcd may be slow to answer a scheduler that is just starting (a loaded machine, a
        // member restarting): try again rather than fail the start. Each pass is idempotent.
        long deadline = System.nanoTime() + ETCD_PATIENCE.toNanos();
        for (long pauseMs = 500; ; pauseMs = Math.min(pauseMs * 2, 8_000)) {
            try {
                write(dir, specs, store);
                return;
            } catch (RegistryException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LOG.warn("etcd did not answer while loading the specs ({}); trying again in {} ms", e.getMessage(), pauseMs);
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void write(Path dir, List<ServiceSpec> specs, SpecStore store) {
        for (ServiceSpec spec : specs) {
            Optional<SpecStore.Stored> current = store.get(spec.id());
            if (current.isEmpty()) {
                store.create(spec);
                LOG.info("Created service {} from {}", spec.id(), dir);
            } else if (!SpecParser.toJson(current.get().spec()).equals(SpecParser.toJson(spec))) {
                store.put(spec, current.get().modRevision());
                LOG.info("Updated service {} from {}", spec.id(), dir);
            }
        }
    }
}
