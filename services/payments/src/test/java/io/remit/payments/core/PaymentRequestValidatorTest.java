package io.remit.payments.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.remit.fx.api.Money;
import io.remit.kit.http.Problem;
import io.remit.kit.http.Problems;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentRequestValidatorTest {

    private static final ObjectMapper JSON = Jackson.newObjectMapper();

    @Test
    void aGoodRequestBecomesANewPayment() throws Exception {
        Problems problems = new Problems();
        NewPayment p = PaymentRequestValidator.validate(json("""
                {"payerId": "p-1", "schoolId": "oxford-brookes", "amount": {"amount": 1250000, "currency": "GBP"},
                 "sourceCurrency": "USD", "paymentMethod": "BANK_TRANSFER", "reference": "S123", "quoteId": "q-1"}"""), problems);

        assertThat(problems.list()).isEmpty();
        assertThat(p).isEqualTo(new NewPayment("p-1", "oxford-brookes", new Money(1_250_000, "GBP"), "USD",
                "BANK_TRANSFER", "S123", "q-1"));
    }

    @Test
    void everyProblemIsListedAtOnce() throws Exception {
        Problems problems = new Problems();
        NewPayment p = PaymentRequestValidator.validate(json("""
                {"payerId": 7, "schoolId": "", "amount": {"amount": "100", "currency": "pounds", "extra": 1},
                 "sourceCurrency": "ZZZ", "paymentMethod": "card", "quoteId": "has space", "tip": 5}"""), problems);

        assertThat(p).isNull();
        assertThat(problems.list()).extracting(Problem::field).containsExactlyInAnyOrder("tip", "payerId", "schoolId",
                "amount.extra", "amount.amount", "amount.currency", "sourceCurrency", "paymentMethod", "reference", "quoteId");
    }

    @Test
    void moneyIsAWholePositiveNumberOfMinorUnits() throws Exception {
        assertThat(amountProblem("12.50")).contains("whole number of minor units");
        assertThat(amountProblem("1.0")).contains("whole number of minor units");
        assertThat(amountProblem("0")).contains("positive");
        assertThat(amountProblem("-5")).contains("positive");
        assertThat(amountProblem("99999999999999999999")).contains("at most");
        assertThat(amountProblem("null")).contains("required");
    }

    @Test
    void theBodyMustBeAnObject() throws Exception {
        Problems problems = new Problems();
        assertThat(PaymentRequestValidator.validate(json("[1, 2]"), problems)).isNull();
        assertThat(problems.list()).containsExactly(new Problem("body", "must be a JSON object"));
        Problems none = new Problems();
        assertThat(PaymentRequestValidator.validate(null, none)).isNull();
        assertThat(none.list()).extracting(Problem::field).containsExactly("body");
    }

    @Test
    void textWithALoneSurrogateIsRefusedNamingTheField() throws Exception {
        // JSON escapes of half a surrogate pair: no character at all (stored as UTF-8 they become "?")
        Problems problems = new Problems();
        NewPayment p = PaymentRequestValidator.validate(json("""
                {"payerId": "p\\udc00", "schoolId": "s", "amount": {"amount": 100, "currency": "GBP\\ud800"},
                 "sourceCurrency": "USD", "paymentMethod": "CARD", "reference": "Ana \\ud83c"}"""), problems);

        assertThat(p).isNull();
        assertThat(problems.list()).extracting(Problem::field)
                .containsExactlyInAnyOrder("payerId", "amount.currency", "reference");
        assertThat(problems.list()).extracting(Problem::reason).allSatisfy(r -> assertThat(r).contains("Unicode"));
        assertThat(problems.list().stream().filter(x -> x.field().equals("reference")).findFirst().orElseThrow().reason())
                .contains("\\ud83c", "character 5");
    }

    @Test
    void aReferenceIsMeasuredInCharacters() throws Exception {
        String graduationCap = "\\ud83c\\udf93"; // one character, two UTF-16 units
        assertThat(referenceProblems(graduationCap.repeat(140))).isEmpty();
        assertThat(referenceProblems(graduationCap.repeat(141))).extracting(Problem::reason)
                .containsExactly("must be at most 140 characters");
        assertThat(referenceProblems("x".repeat(141))).hasSize(1);
    }

    @Test
    void unicodeTextCountsCodePointsAndFindsUnpairedHalves() {
        assertThat(UnicodeText.length("a\uD83C\uDF93b")).isEqualTo(3);
        assertThat(UnicodeText.firstUnpairedSurrogate("a\uD83C\uDF93b")).isEqualTo(-1);
        assertThat(UnicodeText.firstUnpairedSurrogate("ab\uD83C")).isEqualTo(2);
        assertThat(UnicodeText.firstUnpairedSurrogate("\uDF93\uD83C")).isZero();
        assertThat(UnicodeText.malformed("fine \uD83C\uDF93")).isNull();
    }

    private static List<Problem> referenceProblems(String jsonEscapedReference) throws Exception {
        Problems problems = new Problems();
        PaymentRequestValidator.validate(json("""
                {"payerId": "p", "schoolId": "s", "amount": {"amount": 100, "currency": "GBP"},
                 "sourceCurrency": "USD", "paymentMethod": "CARD", "reference": "%s"}""".formatted(jsonEscapedReference)),
                problems);
        return problems.list();
    }

    private static String amountProblem(String amount) throws Exception {
        Problems problems = new Problems();
        PaymentRequestValidator.validate(json("""
                {"payerId": "p", "schoolId": "s", "amount": {"amount": %s, "currency": "GBP"},
                 "sourceCurrency": "USD", "paymentMethod": "CARD", "reference": "r"}""".formatted(amount)), problems);
        assertThat(problems.list()).extracting(Problem::field).containsExactly("amount.amount");
        return problems.list().get(0).reason();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
