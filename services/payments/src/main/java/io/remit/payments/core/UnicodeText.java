package io.remit.payments.core;

/**
 * Text as a person counts it. JSON may carry a lone UTF-16 surrogate ({@code "\ud800"}), which is
 * no character at all: stored as UTF-8 it would silently become {@code ?}, so it is refused.
 * Lengths are counted in Unicode code points (an emoji is one character, not two). Pure.
 */
public final class UnicodeText {

    private UnicodeText() {
    }

    /** The index (in UTF-16 units) of the first surrogate in {@code s} without its other half, or -1. */
    public static int firstUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The problem with {@code s} as Unicode text, or null when it is well formed. */
    public static String malformed(String s) {
        int at = firstUnpairedSurrogate(s);
        if (at < 0) {
            return null;
        }
        return String.format("must be valid Unicode text: it has a lone surrogate \\u%04x at character %d",
                (int) s.charAt(at), s.codePointCount(0, at) + 1);
    }

    /** The number of characters (code points) in {@code s}. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
