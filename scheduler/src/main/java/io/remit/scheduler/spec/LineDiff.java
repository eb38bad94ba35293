package io.remit.scheduler.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two lists of lines ({@code diff -u}'s format): the longest common
 * subsequence of the lines between their common start and end, then hunks with context. Sized
 * for specs (hundreds of lines): quadratic in the length of the part that differs. Pure.
 */
final class LineDiff {

    /** The largest alignment table computed, in ints (16 MB): two middles of 2,000 lines. */
    private static final long MAX_CELLS = 4_000_000L;

    private LineDiff() {
    }

    /** One line of the edit script: kept (' '), removed ('-') or added ('+'), with its numbers (from 0) in a and b. */
    private record Edit(char op, String line, int inA, int inB) {
    }

    static String unified(List<String> a, List<String> b, String labelA, String labelB, int context) {
        List<Edit> edits = edits(a, b);
        if (edits.stream().allMatch(e -> e.op() == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(labelA).append('\n').append("+++ ").append(labelB).append('\n');
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - context);
            int end = i;   // exclusive; grows while the next change is within 2 * context lines
            int lastChange = i;
            while (end < edits.size() && end - lastChange <= 2 * context + 1) {
                if (edits.get(end).op() != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + context + 1);
            hunk(edits.subList(start, end), out);
            i = end;
        }
        return out.toString();
    }

    private static void hunk(List<Edit> hunk, StringBuilder out) {
        int fromA = -1;
        int fromB = -1;
        int countA = 0;
        int countB = 0;
        for (Edit e : hunk) {
            if (e.op() != '+') {
                countA++;
                fromA = fromA < 0 ? e.inA() : fromA;
            }
            if (e.op() != '-') {
                countB++;
                fromB = fromB < 0 ? e.inB() : fromB;
            }
        }
        out.append("@@ -").append(range(fromA, countA, hunk, true)).append(" +")
                .append(range(fromB, countB, hunk, false)).append(" @@\n");
        for (Edit e : hunk) {
            out.append(e.op()).append(e.line()).append('\n');
        }
    }

    /** diff -u's "start,count", lines counted from 1; an empty side names the line before it. */
    private static String range(int from, int count, List<Edit> hunk, boolean sideA) {
        if (count == 0) {
            Edit first = hunk.get(0);
            return (sideA ? first.inA() : first.inB()) + ",0";
        }
        return (from + 1) + (count == 1 ? "" : "," + count);
    }

    private static List<Edit> edits(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        int n = a.size() - head - tail;
        int m = b.size() - head - tail;
        // lcs[i][j]: the longest common subsequence of the middle parts of a from i and b from j.
        // Past MAX_CELLS (two texts of thousands of changed lines) the middle is shown removed, then added.
        int[][] lcs = (long) (n + 1) * (m + 1) > MAX_CELLS ? null : new int[n + 1][m + 1];
        for (int i = n - 1; lcs != null && i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(head + i).equals(b.get(head + j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Edit> out = new ArrayList<>(a.size() + b.size());
        for (int k = 0; k < head; k++) {
            out.add(new Edit(' ', a.get(k), k, k));
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (lcs != null && i < n && j < m && a.get(head + i).equals(b.get(head + j))) {
                out.add(new Edit(' ', a.get(head + i), head + i, head + j));
                i++;
                j++;
            } else if (i < n && (j == m || lcs == null || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add(new Edit('-', a.get(head + i), head + i, head + j));   // removals first, as diff -u
                i++;
            } else {
                out.add(new Edit('+', b.get(head + j), head + i, head + j));
                j++;
            }
        }
        for (int k = 0; k < tail; k++) {
            out.add(new Edit(' ', a.get(a.size() - tail + k), a.size() - tail + k, b.size() - tail + k));
        }
        return out;
    }
}
