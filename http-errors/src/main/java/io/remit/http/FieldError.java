package io.remit.http;

/** One problem of a refused request: where ({@code body}, {@code uri}, {@code headers}) and what. */
public record FieldError(String path, String message) implements ErrorDetail {
}
