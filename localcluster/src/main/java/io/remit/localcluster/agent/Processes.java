package io.remit.localcluster.agent;

import java.io.IOException;
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
    static void signalTree(Process process, boolean force) {
        if (!process.isAlive()) {
            return;
        }
        java.util.List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        java.util.Collections.reverse(tree);
        tree.add(process.toHandle());
        for (ProcessHandle p : tree) {
            boolean sent = force ? p.destroyForcibly() : p.destroy();
            if (!sent && p.isAlive()) {
                LOG.debug("could not signal pid {}", p.pid());
            }
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
