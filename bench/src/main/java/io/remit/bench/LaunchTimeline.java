package io.remit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time of one instance launch went, read from the timestamps in the logs of each
 * process on the path: the scheduler's {@code scheduler.out}, the embedded agent (through a
 * {@link LogTap}), the executor's sandbox {@code stderr} and the service's {@code service.stdout}.
 * All of them log wall-clock time in milliseconds; this machine's clocks are one clock, so the
 * differences are good to about a millisecond plus each logger's own delay.
 */
final class LaunchTimeline {

    /** yyyy-MM-dd HH:mm:ss,SSS (Dropwizard, UTC) or yyyy-MM-ddTHH:mm:ss.SSS+0000 (the executor's slf4j-simple). */
    private static final Pattern STAMP =
            Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2})[.,](\\d{3})([+-]\\d{4})?");
    private static final Pattern STARTED_EXECUTOR = Pattern.compile("\\(pid (\\d+)\\) in (.+)$");

    /** The milestones, in path order; a missing one is absent. */
    private final Map<String, Instant> at = new LinkedHashMap<>();
    private long executorPid = -1;
    private long servicePid = -1;
    private Path sandbox;

    static final String POSTED = "POST sent";
    static final String LAUNCHING = "scheduler accepts offer (Launching)";
    static final String FORKED = "agent fetched artifacts and forked executor";
    static final String EXECUTOR_UP = "executor JVM logs first line";
    static final String EXECUTOR_SUBSCRIBED = "executor subscribed to the agent";
    static final String EXECUTOR_LAUNCH = "executor got LAUNCH";
    static final String SERVICE_STARTED = "executor starts service JVM";
    static final String JETTY_STARTED = "service admin connector started";
    static final String HEALTHY = "executor: first health check passed";
    static final String PUBLISHED = "executor: registered in etcd";
    static final String DISCOVERED = "bench DiscoveryCache sees it";
    static final String SCHEDULER_HEALTHY = "scheduler: task HEALTHY";
    static final String API_HEALTHY = "bench: /v1/services healthy=1";

    private LaunchTimeline() {
    }

    /**
     * Reads the milestones of task {@code taskId}. {@code posted}, {@code discovered} and
     * {@code apiHealthy} are the bench's own observations.
     */
    static LaunchTimeline read(String taskId, Instant posted, Instant discovered, Instant apiHealthy, Path schedulerLog,
                               LogTap tap) throws IOException {
        LaunchTimeline t = new LaunchTimeline();
        t.at.put(POSTED, posted);
        List<String> scheduler = readIfThere(schedulerLog);
        t.stamp(LAUNCHING, scheduler, l -> l.contains("Launching [" + taskId));
        tap.first(m -> m.startsWith("Started executor remit-executor." + taskId + " ")).ifPresent(line -> {
            t.at.put(FORKED, line.at());
            Matcher m = STARTED_EXECUTOR.matcher(line.message());
            if (m.find()) {
                t.executorPid = Long.parseLong(m.group(1));
                t.sandbox = Path.of(m.group(2));
            }
        });
        if (t.sandbox != null) {
            List<String> executor = readIfThere(t.sandbox.resolve("stderr"));
            t.stamp(EXECUTOR_UP, executor, l -> l.contains("service executor") && l.contains("starting in"));
            t.stamp(EXECUTOR_SUBSCRIBED, executor, l -> l.contains("subscribed to agent"));
            t.stamp(EXECUTOR_LAUNCH, executor, l -> l.contains("launching LaunchSpec[") && l.contains(taskId));
            t.stamp(SERVICE_STARTED, executor, l -> l.contains("starting ") && l.contains(" as task " + taskId));
            t.stamp(JETTY_STARTED, readIfThere(t.sandbox.resolve("service.stdout")),
                    l -> l.contains("AbstractConnector: Started admin@"));
            t.stamp(HEALTHY, executor, l -> l.contains("task " + taskId + " is now healthy"));
            t.stamp(PUBLISHED, executor, l -> l.contains("published /remit/discovery/"));
            List<String> pid = readIfThere(t.sandbox.resolve("service.pid"));
            if (!pid.isEmpty()) {
                t.servicePid = Long.parseLong(pid.get(0).strip());
            }
        }
        t.at.put(DISCOVERED, discovered);
        t.stamp(SCHEDULER_HEALTHY, scheduler, l -> l.contains("Task " + taskId + ":") && l.contains("-> HEALTHY"));
        t.at.put(API_HEALTHY, apiHealthy);
        return t;
    }

    /** The same reading for the service's own log of a direct start: when its admin connector started. */
    static Optional<Instant> jettyStarted(Path serviceStdout) throws IOException {
        LaunchTimeline t = new LaunchTimeline();
        t.stamp(JETTY_STARTED, readIfThere(serviceStdout), l -> l.contains("AbstractConnector: Started admin@"));
        return Optional.ofNullable(t.at.get(JETTY_STARTED));
    }

    /**
     * Whether the service's own Jetty said it started before the executor's first passing health
     * check; if not, something else answered on its admin port.
     */
    boolean startedBeforeHealthy() {
        Instant jetty = at.get(JETTY_STARTED);
        Instant healthy = at.get(HEALTHY);
        return jetty != null && healthy != null && !healthy.isBefore(jetty.minusMillis(50));
    }

    Optional<Instant> at(String milestone) {
        return Optional.ofNullable(at.get(milestone));
    }

    long executorPid() {
        return executorPid;
    }

    long servicePid() {
        return servicePid;
    }

    Optional<Path> sandbox() {
        return Optional.ofNullable(sandbox);
    }

    /** Milliseconds from milestone {@code from} to {@code to}, or empty if either is missing. */
    Optional<Long> between(String from, String to) {
        Instant a = at.get(from);
        Instant b = at.get(to);
        return a == null || b == null ? Optional.empty() : Optional.of(Duration.between(a, b).toMillis());
    }

    /** One phase of the path; {@code millis} is null when a milestone is missing from the logs. */
    record Phase(String name, Long millis) {
        @Override
        public String toString() {
            return String.format("%-58s %s", name, millis == null ? "n/a" : millis + " ms");
        }
    }

    /** The path's phases, in order (the last two run in parallel with registration and watch). */
    List<Phase> phases() {
        List<Phase> out = new ArrayList<>();
        phase(out, "scheduling: spec stored, revive, offer, placement, ACCEPT", POSTED, LAUNCHING);
        phase(out, "agent: fetch executor jar + hello.jar over HTTP, fork", LAUNCHING, FORKED);
        phase(out, "executor JVM start", FORKED, EXECUTOR_UP);
        phase(out, "executor up to its service JVM started", EXECUTOR_UP, SERVICE_STARTED);
        phase(out, "  (executor up to subscribed to the agent)", EXECUTOR_UP, EXECUTOR_SUBSCRIBED);
        phase(out, "  (executor up to LAUNCH read)", EXECUTOR_UP, EXECUTOR_LAUNCH);
        phase(out, "service JVM start to its admin connector started", SERVICE_STARTED, JETTY_STARTED);
        phase(out, "admin connector started to first passing health check", JETTY_STARTED, HEALTHY);
        phase(out, "etcd registration (lease + put) in the executor", HEALTHY, PUBLISHED);
        phase(out, "watch to the bench's DiscoveryCache (< 0: beat the log line)", PUBLISHED, DISCOVERED);
        phase(out, "TASK_RUNNING(healthy) to the scheduler's engine", HEALTHY, SCHEDULER_HEALTHY);
        phase(out, "scheduler HEALTHY to the bench's REST poll", SCHEDULER_HEALTHY, API_HEALTHY);
        return out;
    }

    private void phase(List<Phase> out, String name, String from, String to) {
        out.add(new Phase(name, between(from, to).orElse(null)));
    }

    private void stamp(String milestone, List<String> lines, Predicate<String> match) {
        for (String line : lines) {
            if (match.test(line)) {
                parse(line).ifPresent(i -> at.put(milestone, i));
                return;
            }
        }
    }

    static Optional<Instant> parse(String line) {
        Matcher m = STAMP.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2) + "." + m.group(3));
        ZoneOffset offset = m.group(4) == null ? ZoneOffset.UTC : ZoneOffset.of(m.group(4).substring(0, 3) + ":"
                + m.group(4).substring(3));
        return Optional.of(local.toInstant(offset));
    }

    private static List<String> readIfThere(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : List.of();
    }
}
