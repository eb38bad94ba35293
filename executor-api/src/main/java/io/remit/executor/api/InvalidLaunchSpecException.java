package io.remit.executor.api;

import java.util.List;

/** A {@link LaunchSpec} that cannot be launched; the message lists every problem. */
public final class InvalidLaunchSpecException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidLaunchSpecException(List<String> problems) {
        super("invalid launch spec: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
