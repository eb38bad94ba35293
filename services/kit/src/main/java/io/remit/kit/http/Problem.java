package io.remit.kit.http;

/** One thing wrong with a request: the field (a JSON path such as {@code amount.currency}) and why. */
public record Problem(String field, String reason) {
}
