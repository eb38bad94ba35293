package io.remit.scheduler.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec could not be read or is invalid; {@link #violations()} lists every problem found. */
public final class InvalidSpecException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    /** Every problem, in document order; never empty. */
    public List<Violation> violations() {
        return violations;
    }
}
