package io.remit.executor;

import io.remit.executor.api.LaunchSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of a service JVM:
 * {@code <java> -Xmx<heap>m <jvmOptions...> -jar <artifact> server config.yml}, run in the
 * sandbox; in command mode {@code /bin/sh -c <command>} or the spec's {@code args}. Pure.
 */
final class ServiceCommand {

    /** The rendered config's file name in the sandbox. */
    static final String CONFIG_FILE = "config.yml";
    static final int MIN_HEAP_MB = 32;

    private ServiceCommand() {
    }

    /** 75% of the task's memory, at least {@value #MIN_HEAP_MB} MB: the rest is for metaspace, threads, buffers. */
    static int heapMb(int memMb) {
        return Math.max(MIN_HEAP_MB, (int) (memMb * 3L / 4));
    }

    static List<String> argv(Path java, LaunchSpec spec) {
        if (spec.args() != null) {
            return List.copyOf(spec.args());
        }
        if (spec.command() != null) {
            return List.of("/bin/sh", "-c", spec.command());
        }
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.add("-Xmx" + heapMb(spec.memMb()) + "m");
        argv.addAll(spec.jvmOptions());
        argv.add("-jar");
        argv.add(spec.artifact());
        argv.add("server");
        argv.add(CONFIG_FILE);
        return argv;
    }

    /** {@code $JAVA_HOME/bin/java} when {@code JAVA_HOME} is set, else the executor's own java. */
    static Path java(Map<String, String> env, String ownJavaHome) {
        String home = env.get("JAVA_HOME");
        return Path.of(home != null && !home.isBlank() ? home : ownJavaHome, "bin", "java");
    }
}
