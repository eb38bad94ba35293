package io.remit.executor;

/**
 * How the service JVM ended, from Java's exit value: {@code 128 + n} when the process was killed
 * by signal {@code n} (which Java cannot tell apart from {@code exit(128 + n)}).
 */
public record ExitStatus(int code) {

    public boolean success() {
        return code == 0;
    }

    /** The signal that presumably ended the process, or 0. */
    public int signal() {
        return code > 128 && code <= 128 + 64 ? code - 128 : 0;
    }

    /** E.g. {@code exit status 1}, {@code exit status 137 (signal 9, SIGKILL)}. */
    public String describe() {
        int signal = signal();
        return signal == 0 ? "exit status " + code : "exit status " + code + " (signal " + signal + ", " + signalName(signal) + ")";
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 15 -> "SIGTERM";
            default -> "SIG" + signal;
        };
    }
}
