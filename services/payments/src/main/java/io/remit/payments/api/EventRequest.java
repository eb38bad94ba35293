package io.remit.payments.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /payments/{id}/events}.
 *
 * @param type   {@code funds_requested}, {@code funds_received}, {@code delivered}, {@code cancelled} or {@code failed}
 * @param reason optional free text kept in the history (at most 500 characters)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventRequest(String type, String reason) {
}
