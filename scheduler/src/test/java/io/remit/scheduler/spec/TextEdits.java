package io.remit.scheduler.spec;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Small random edits of a text, for property tests of readers: each edit changes, deletes or
 * inserts one character at a position, with characters that matter to JSON and YAML favoured.
 */
public final class TextEdits {

    private TextEdits() {
    }

    /** One to {@code most} edits of a text of about {@code length} characters: {kind (0 change, 1 delete, 2 insert), position, char}. */
    public static Arbitrary<List<int[]>> edits(int length, int most) {
        Arbitrary<Integer> chars = Arbitraries.oneOf(Arbitraries.of((int) ':', (int) ',', (int) '-', (int) ' ', (int) '\n',
                        (int) '[', (int) ']', (int) '{', (int) '}', (int) '"', (int) '\'', (int) '#', (int) '&', (int) '*',
                        (int) '!', (int) '0', (int) '.', (int) 'e'),
                Arbitraries.integers().between(0, 0x2FF));
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, length), chars)
                .as((kind, pos, c) -> new int[] {kind, pos, c}).list().ofMinSize(1).ofMaxSize(most);
    }

    /** {@code text} with the edits applied in order (positions taken modulo its length then). */
    public static String apply(String text, List<int[]> edits) {
        StringBuilder b = new StringBuilder(text);
        for (int[] e : edits) {
            int pos = b.length() == 0 ? 0 : e[1] % (e[0] == 2 ? b.length() + 1 : b.length());
            switch (e[0]) {
                case 0 -> { if (b.length() > 0) b.setCharAt(pos, (char) e[2]); }
                case 1 -> { if (b.length() > 0) b.deleteCharAt(pos); }
                default -> b.insert(pos, (char) e[2]);
            }
        }
        return b.toString();
    }
}
