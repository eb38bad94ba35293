package io.remit.scheduler.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A placement constraint, written in a spec as a Marathon-style array
 * {@code [attribute, OPERATOR]} or {@code [attribute, OPERATOR, value]}:
 *
 * <table>
 *   <caption>Constraint syntax</caption>
 *   <tr><th>spec</th><th>meaning</th></tr>
 *   <tr><td>{@code [hostname, UNIQUE]}</td><td>at most one instance per agent; on any other
 *       attribute, at most one instance per value of it</td></tr>
 *   <tr><td>{@code [zone, GROUP_BY]}, {@code [zone, GROUP_BY, 3]}</td><td>spread instances evenly
 *       over the attribute's values: an instance goes only to a value that has the fewest
 *       instances of the service (running ones included). With a count, values not yet seen
 *       count as having none, so placement waits for them instead of piling onto the ones seen.
 *       At most one GROUP_BY per service.</td></tr>
 *   <tr><td>{@code [rack, LIKE, "r[1-3]"]}, {@code [rack, UNLIKE, "r9"]}</td><td>the value must
 *       (must not) match the Java regular expression as a whole</td></tr>
 *   <tr><td>{@code [zone, IS, eu-1]}, {@code [zone, IS_NOT, eu-1]}</td><td>the value must (must
 *       not) equal the text exactly</td></tr>
 * </table>
 *
 * <p>The attribute {@code hostname} is the agent's host name; any other name is a Mesos agent
 * attribute (e.g. {@code zone}). An agent without the attribute satisfies only {@code UNLIKE} and
 * {@code IS_NOT}. Operators are upper case.
 *
 * @param attribute {@code hostname} or an agent attribute name
 * @param operator the operator; may be null only in a spec that fails validation
 * @param value the operand; null for UNIQUE and for GROUP_BY without a count
 */
public record Constraint(String attribute, Operator operator, String value) {

    /** The constraint operators. */
    public enum Operator {
        UNIQUE, GROUP_BY, LIKE, UNLIKE, IS, IS_NOT;

        /** Whether the operator requires an operand (GROUP_BY's count is optional). */
        public boolean needsValue() {
            return this == LIKE || this == UNLIKE || this == IS || this == IS_NOT;
        }

        /** Whether the operator may take an operand at all. */
        public boolean takesValue() {
            return this != UNIQUE;
        }
    }

    public static final String HOSTNAME = "hostname";

    public static Constraint unique(String attribute) {
        return new Constraint(attribute, Operator.UNIQUE, null);
    }

    public static Constraint groupBy(String attribute) {
        return new Constraint(attribute, Operator.GROUP_BY, null);
    }

    public static Constraint groupBy(String attribute, int groups) {
        return new Constraint(attribute, Operator.GROUP_BY, Integer.toString(groups));
    }

    public static Constraint of(String attribute, Operator operator, String value) {
        return new Constraint(attribute, operator, value);
    }

    /** For GROUP_BY: the expected number of distinct values, when given as a positive integer. */
    public OptionalInt groups() {
        if (operator != Operator.GROUP_BY || value == null) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The constraint as written in a spec, as a list of its parts. */
    public List<String> toSpec() {
        List<String> parts = new ArrayList<>(3);
        parts.add(attribute);
        parts.add(operator == null ? "?" : operator.name());
        if (value != null) {
            parts.add(value);
        }
        return parts;
    }

    /** E.g. {@code hostname UNIQUE}, {@code zone IS eu-1}: the form used in messages. */
    @Override
    public String toString() {
        return String.join(" ", toSpec());
    }
}
