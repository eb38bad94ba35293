package io.remit.executor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines a process wrote, for a failure message: both of its streams feed one tail, in
 * the order their lines completed. Long lines are cut. Thread-safe.
 */
final class LineTail {

    /** How many lines go into a TASK_FAILED message. */
    static final int DEFAULT_LINES = 20;
    static final int MAX_LINE_CHARS = 400;

    private final int maxLines;
    private final Deque<String> lines = new ArrayDeque<>();

    LineTail(int maxLines) {
        this.maxLines = maxLines;
    }

    synchronized void add(String line) {
        String cut = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line;
        lines.addLast(cut);
        while (lines.size() > maxLines) {
            lines.removeFirst();
        }
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }
}
