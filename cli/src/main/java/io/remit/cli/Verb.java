package io.remit.cli;

import java.io.PrintStream;

/** One operator verb of {@code ./remit}: does its request(s) and prints the outcome. */
interface Verb {

    /**
     * Does the verb; returns the exit status (0: done). Failures throw a {@link CliException}
     * with the reason and its status.
     */
    int run(Args args, Api api, PrintStream out);
}
