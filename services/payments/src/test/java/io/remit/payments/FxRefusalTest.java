package io.remit.payments;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.kit.http.ApiError;
import io.remit.kit.http.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class FxRefusalTest {

    @Test
    void fxsFieldsBecomeThePaymentsFieldsWithFxsReasons() {
        ApiError refusal = new ApiError(422, "invalid request: 3 problems", List.of(
                new Problem("sourceCurrency", "unknown currency XAU"),
                new Problem("targetAmount", "must be at most 500 GBP minor units"),
                new Problem("targetCurrency", "unknown currency GBX")));

        assertThat(FxRefusal.problems(refusal)).containsExactly(
                new Problem("sourceCurrency", "is refused by fx: unknown currency XAU"),
                new Problem("amount.amount", "is refused by fx: must be at most 500 GBP minor units"),
                new Problem("amount.currency", "is refused by fx: unknown currency GBX"));
    }

    @Test
    void aRefusalWithoutDetailsStillNamesAField() {
        assertThat(FxRefusal.problems(new ApiError(422, "not today", List.of())))
                .containsExactly(new Problem("amount", "is refused by fx: not today"));
        assertThat(FxRefusal.problems(new ApiError(422, "odd", List.of(new Problem("rate", "too low")))))
                .containsExactly(new Problem("amount", "is refused by fx: too low"));
    }
}
