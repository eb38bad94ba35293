package io.remit.localcluster.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting a {@link CommandInfo} as a process in its own session (so a Ctrl-C at the terminal
 * reaches the agent, which then stops its tasks, and not the tasks directly), with stdout and
 * stderr kept in the sandbox; and signalling a process with everything it started, as Mesos's
 * containerizer stops a whole container.
 */
final class Processes {

    private static final Logger LOG = LoggerFactory.getLogger(Processes.class);
    private static final Path PROC = Path.of("/proc");

    private Processes() {
    }

    static Process start(CommandInfo command, Path sandbox, Map<String, String> extraEnv) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        if (!command.hasShell() || command.getShell()) {
            argv.add("sh");
            argv.add("-c");
            argv.add(command.getValue());
        } else {
            argv.add(command.getValue());
            // By Mesos's convention arguments[0] is argv[0], the program's own name.
            for (int i = 1; i < command.getArgumentsCount(); i++) {
                argv.add(command.getArguments(i));
            }
        }
        ProcessBuilder pb = new ProcessBuilder(argv).directory(sandbox.toFile());
        pb.environment().putAll(extraEnv);
        for (Environment.Variable v : command.getEnvironment().getVariablesList()) {
            pb.environment().put(v.getName(), v.getValue());
        }
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(sandbox.resolve("stdout").toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(sandbox.resolve("stderr").toFile()));
        return pb.start();
    }

    /**
     * Sends SIGTERM ({@code force == false}) or SIGKILL to the process and every process it
     * started that is still its descendant, children first. Signals are sent from this JVM;
     * nothing is spawned, so it is cheap enough for the agent's thread.
     */
    static void signalTree(ProcessHandle process, boolean force) {
        if (!process.isAlive()) {
            return;
        }
        java.util.List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        java.util.Collections.reverse(tree);
        tree.add(process);
        for (ProcessHandle p : tree) {
            boolean sent = force ? p.destroyForcibly() : p.destroy();
            if (!sent && p.isAlive()) {
                LOG.debug("could not signal pid {}", p.pid());
            }
        }
    }

    /**
     * SIGKILLs every process left in the session {@code leader} opened (it was started through
     * setsid, so its pid is the session id), the leader included if it still runs. Unlike
     * {@link #signalTree}, this also reaches processes re-parented away from the leader: a
     * background child whose shell has exited, or one forked while the tree was being signalled.
     * Called when the leader has ended and when the agent stops, as Mesos destroys the whole
     * container when its executor ends. Reads {@code /proc} and spawns nothing; without
     * {@code /proc} (not Linux) it falls back to {@link #signalTree}.
     */
    static void killSession(ProcessHandle leader) {
        if (!Files.isDirectory(PROC)) {
            signalTree(leader, true);
            return;
        }
        long session = leader.pid();
        // Again until a sweep finds no one: a child forked while a sweep listed the processes (an
        // executor starting its service that instant) is caught by the next one.
        for (int sweep = 0; sweep < 50; sweep++) {
            java.util.List<ProcessHandle> left = ProcessHandle.allProcesses()
                    .filter(p -> sessionOf(p.pid()) == session).toList();
            if (left.isEmpty()) {
                return;
            }
            left.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * When the process {@code pid} started, as {@code /proc/<pid>/stat} says (clock ticks since
     * boot), or null when it is gone. With the pid it names one process for good: a pid the
     * kernel reused for another process has another start time.
     */
    static String startTime(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": state is field 3 of stat(5), starttime field 22.
            if (fields[0].equals("Z")) {
                return null;
            }
            return fields[19];
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().startInstant()).map(Object::toString).orElse(null);
        }
    }

    /** The process a checkpoint names, if it still runs (the same process, not a reused pid). */
    static java.util.Optional<ProcessHandle> find(long pid, String startTime) {
        if (pid <= 0 || startTime == null || !startTime.equals(startTime(pid))) {
            return java.util.Optional.empty();
        }
        return ProcessHandle.of(pid);
    }

    /** The session id of a process from {@code /proc/<pid>/stat}, or -1 when it is gone or unreadable. */
    private static long sessionOf(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // pid (comm) state ppid pgrp session ...; comm may itself hold spaces and parentheses.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
            // A zombie is dead already (only its parent's wait is missing): not in the session.
            return fields[0].equals("Z") ? -1 : Long.parseLong(fields[3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Mesos's words for how a command ended, from a Java exit value. */
    static String describeExit(int exitValue) {
        if (exitValue > 128 && exitValue < 128 + 65) {
            return "Command terminated with signal " + signalName(exitValue - 128);
        }
        return "Command exited with status " + exitValue;
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "Hangup";
            case 2 -> "Interrupt";
            case 3 -> "Quit";
            case 6 -> "Aborted";
            case 9 -> "Killed";
            case 11 -> "Segmentation fault";
            case 15 -> "Terminated";
            default -> "Signal " + signal;
        };
    }
}
