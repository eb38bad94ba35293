package io.remit.scheduler;

import io.remit.registry.etcd.RegistryException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, loads {@code configs/services/*.yml} into etcd: a new spec is created, a changed one
 * replaced, an unchanged one left alone. A creation or change is a revision by {@code remit} with
 * the message "loaded from &lt;file&gt;" (scaling alone is none, as always). Every file is
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
        Map<String, Path> files = new HashMap<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path file : listing.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")
                    || f.toString().endsWith(".json")).sorted().toList()) {
                String text = Files.readString(file);
                try {
                    ServiceSpec spec = file.toString().endsWith(".json") ? SpecParser.parseJson(text) : SpecParser.parseYaml(text);
                    specs.add(spec);
                    files.put(spec.id(), file);
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
                write(specs, files, store);
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

    private static void write(List<ServiceSpec> specs, Map<String, Path> files, SpecStore store) {
        for (ServiceSpec spec : specs) {
            Path file = files.get(spec.id());
            SpecStore.Change change = new SpecStore.Change(SpecStore.Change.REMIT, "loaded from " + shown(file));
            Optional<SpecStore.Stored> current = store.get(spec.id());
            if (current.isEmpty()) {
                SpecStore.Written w = store.create(spec, change);
                LOG.info("Created service {} from {}{}", spec.id(), file, revision(w));
            } else if (!SpecParser.toJson(current.get().spec()).equals(SpecParser.toJson(spec))) {
                SpecStore.Written w = store.put(spec, current.get().modRevision(), change);
                LOG.info("Updated service {} from {}{}", spec.id(), file, revision(w));
            }
        }
    }

    private static String revision(SpecStore.Written w) {
        return w.revision() == null ? "" : " (revision " + w.revision().number() + ")";
    }

    /** The file as a person finds it: relative to the working folder when it is below it. */
    private static String shown(Path file) {
        Path here = Path.of("").toAbsolutePath();
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(here) ? here.relativize(abs).toString() : abs.toString();
    }
}
