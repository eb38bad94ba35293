package io.remit.registry.etcd;

import java.util.List;

/** Settings that cannot be used; the message lists every problem, one per line. */
public final class InvalidSettingsException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSettingsException(String what, List<String> problems) {
        super("invalid " + what + " settings:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, naming its field. */
    public List<String> problems() {
        return problems;
    }
}
