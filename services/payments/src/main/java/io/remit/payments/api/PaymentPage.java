package io.remit.payments.api;

import java.util.List;

/**
 * One page of {@code GET /payments}: newest first; {@code nextCursor} fetches the following page
 * ({@code ?cursor=...} with the same filters) and is null on the last page.
 */
public record PaymentPage(List<PaymentView> items, String nextCursor) {
}
