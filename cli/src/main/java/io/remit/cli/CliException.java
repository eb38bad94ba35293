package io.remit.cli;

/** A verb could not be done: what to print, and the exit status to end with. */
final class CliException extends RuntimeException {

    /** The scheduler refused or failed the request (a 4xx or 5xx), or what was asked did not happen. */
    static final int FAILED = 1;
    /** The command line is wrong: unknown verb or option, missing argument, unreadable file. */
    static final int USAGE = 2;
    /** The scheduler could not be reached. */
    static final int UNREACHABLE = 3;

    private final int status;

    CliException(int status, String message) {
        super(message);
        this.status = status;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    int status() {
        return status;
    }
}
