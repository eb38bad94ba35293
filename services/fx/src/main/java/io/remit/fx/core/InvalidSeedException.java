package io.remit.fx.core;

import java.util.List;

/** A rates file that cannot be used, with every problem found in it (each naming its field). */
public final class InvalidSeedException extends RuntimeException {

    private final List<String> problems;

    public InvalidSeedException(String source, List<String> problems) {
        super(source + " has " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
