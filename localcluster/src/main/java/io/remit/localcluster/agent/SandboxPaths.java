package io.remit.localcluster.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns a path asked for through {@code /files/...} into a file of this agent, as a Mesos agent
 * does: only what it has "attached" can be reached, and nothing outside an attached directory.
 *
 * <p>A Mesos agent attaches, for every executor run, its sandbox under its real path
 * ({@code <work>/slaves/<agent>/frameworks/<fw>/executors/<ex>/runs/<container>}), the real path
 * of the {@code runs/latest} link, and the virtual path
 * {@code /frameworks/<fw>/executors/<ex>/runs/latest}; they stay attached until the sandbox is
 * garbage collected. Here a path is attached exactly while its sandbox directory exists, which
 * is the same thing for an agent that never collects sandboxes.
 *
 * <p>The lookup follows the agent's: the longest attached prefix of the asked path wins, the rest
 * is appended, the result is made canonical (links followed), and it must still lie inside the
 * attached directory. Thread-safe (it only reads the file system).
 */
final class SandboxPaths {

    /** The asked path resolves outside its attached directory: answered 400. */
    static final class Inaccessible extends Exception {
        Inaccessible(String message) {
            super(message);
        }
    }

    private final String agentRoot;

    /** @param agentRoot the agent's directory, {@code <work>/slaves/<agent id>} */
    SandboxPaths(Path agentRoot) {
        this.agentRoot = agentRoot.toAbsolutePath().toString();
    }

    /**
     * The canonical file or directory {@code asked} names; empty when it names nothing (404).
     *
     * @throws Inaccessible when it leads out of the attached directory
     */
    Optional<Path> resolve(String asked) throws Inaccessible {
        String trimmed = asked;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<String> tokens = new ArrayList<>(Arrays.asList(trimmed.split("/", -1)));
        String suffix = "";
        while (!tokens.isEmpty()) {
            Path attached = attached(String.join("/", tokens));
            if (attached == null) {
                String last = tokens.remove(tokens.size() - 1);
                suffix = suffix.isEmpty() ? last : last + "/" + suffix;
                continue;
            }
            if (!Files.isDirectory(attached)) {
                return suffix.isEmpty() ? Optional.of(attached) : Optional.empty();
            }
            Path joined = Path.of(attached + "/" + suffix);
            if (!Files.exists(joined)) {
                return Optional.empty();
            }
            Path real;
            try {
                real = joined.toRealPath();
            } catch (IOException e) {
                return Optional.empty();
            }
            if (!real.startsWith(attached)) {
                throw new Inaccessible("'" + joined + "' is inaccessible");
            }
            return Optional.of(real);
        }
        return Optional.empty();
    }

    /**
     * The canonical directory attached as {@code name}, or null: a virtual
     * {@code /frameworks/F/executors/E/runs/latest}, or the real path of a run (or of its
     * {@code latest} link) under this agent's directory, while it exists.
     */
    private Path attached(String name) {
        String rest;
        boolean virtual;
        if (name.startsWith("/frameworks/")) {
            rest = name.substring("/frameworks/".length());
            virtual = true;
        } else if (name.startsWith(agentRoot + "/frameworks/")) {
            rest = name.substring(agentRoot.length() + "/frameworks/".length());
            virtual = false;
        } else {
            return null;
        }
        String[] parts = rest.split("/", -1);
        if (parts.length != 5 || !parts[1].equals("executors") || !parts[3].equals("runs")) {
            return null;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.equals(".") || p.equals("..")) {
                return null;
            }
        }
        if (virtual && !parts[4].equals("latest")) {
            return null;
        }
        Path dir = Path.of(agentRoot, "frameworks", parts[0], "executors", parts[2], "runs", parts[4]);
        try {
            return Files.isDirectory(dir) ? dir.toRealPath() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
