package io.remit.http;

/**
 * One thing wrong with a request, as every error body lists it: {@code {path, message}}. The
 * path is a field's JSON path ({@code amount.currency}), a header, a query parameter,
 * {@code body}, or a dependency that failed. The kit's {@code Problem} and the scheduler's
 * {@code Violation} are ones.
 */
public interface ErrorDetail {

    String path();

    String message();
}
