package io.remit.payments.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remit.fx.api.Money;
import io.remit.kit.http.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The payment request validator on generated bodies: a valid request is read back field for
 * field; any JSON at all (valid requests with one field replaced by anything, random objects)
 * gives either a payment or a list of problems, never an exception, and never both.
 */
class PaymentRequestPropertyTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> FIELDS = List.of("payerId", "schoolId", "amount", "amount.amount",
            "amount.currency", "amount.extra", "sourceCurrency", "paymentMethod", "reference", "quoteId", "unknown");

    @Property(tries = 500)
    void validRequestsAreReadAsTheyWereWritten(@ForAll("requests") NewPayment request) {
        Problems problems = new Problems();
        NewPayment read = PaymentRequestValidator.validate(body(request), problems);
        assertThat(problems.list()).isEmpty();
        assertThat(read).isEqualTo(request);
    }

    @Property(tries = 1000)
    void anyValueInAnyFieldIsAPaymentOrProblems(@ForAll("requests") NewPayment request,
                                                 @ForAll("fieldValues") Map<String, JsonNode> values) {
        ObjectNode body = body(request);
        values.forEach((path, value) -> put(body, path, value));
        check(body);
    }

    @Property(tries = 300)
    void anyJsonIsAPaymentOrProblems(@ForAll("anyJson") JsonNode body) {
        check(body);
    }

    private static void check(JsonNode body) {
        Problems problems = new Problems();
        try {
            NewPayment read = PaymentRequestValidator.validate(body, problems);
            assertThat(read == null).as("null exactly when there are problems: %s", problems.list())
                    .isEqualTo(!problems.isEmpty());
            problems.list().forEach(p -> assertThat(p.toString()).isNotBlank());
        } catch (RuntimeException e) {
            fail("the validator threw " + e + " for " + body, e);
        }
    }

    private static ObjectNode body(NewPayment r) {
        ObjectNode body = F.objectNode();
        body.put("payerId", r.payerId());
        body.put("schoolId", r.schoolId());
        body.putObject("amount").put("amount", r.amount().amount()).put("currency", r.amount().currency());
        body.put("sourceCurrency", r.sourceCurrency());
        body.put("paymentMethod", r.paymentMethod());
        body.put("reference", r.reference());
        if (r.quoteId() != null) {
            body.put("quoteId", r.quoteId());
        }
        return body;
    }

    private static void put(ObjectNode body, String path, JsonNode value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            body.set(path, value);
        } else if (body.get(path.substring(0, dot)) instanceof ObjectNode parent) {
            parent.set(path.substring(dot + 1), value);
        }
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<NewPayment> requests() {
        Arbitrary<String> id = Combinators.combine(Arbitraries.strings().alpha().numeric().ofLength(1),
                Arbitraries.strings().withChars("abcXYZ0189._:@-").ofMaxLength(99)).as(String::concat);
        Arbitrary<String> currency = Arbitraries.of("GBP", "EUR", "USD", "JPY", "INR", "CHF");
        Arbitrary<Money> money = Combinators.combine(
                Arbitraries.longs().between(1, PaymentRequestValidator.MAX_AMOUNT), currency).as(Money::new);
        Arbitrary<String> method = Arbitraries.of("BANK_TRANSFER", "CARD", "SEPA", "X");
        // Letters, digits, spaces, non-ASCII letters, and one character outside the BMP (a
        // surrogate pair, one code point) at the end.
        Arbitrary<String> reference = Arbitraries.strings().withChars("abc XYZ 019-/é漢").ofMaxLength(70)
                .map(s -> "r" + s.trim() + "\uD83D\uDE00");
        Arbitrary<String> quoteId = Arbitraries.strings().withChars("abcXYZ019._~-").ofMinLength(1).ofMaxLength(60)
                .injectNull(0.3);
        return Combinators.combine(id, id, money, currency, method, reference, quoteId).as(NewPayment::new);
    }

    @Provide
    Arbitrary<Map<String, JsonNode>> fieldValues() {
        return Arbitraries.maps(Arbitraries.of(FIELDS), jsonValues(2)).ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<JsonNode> anyJson() {
        return jsonValues(3);
    }

    private static Arbitrary<JsonNode> jsonValues(int depth) {
        List<Arbitrary<JsonNode>> leaves = List.of(
                Arbitraries.just(F.nullNode()),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.longs().map(F::numberNode),
                Arbitraries.doubles().map(F::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.ONE.shiftLeft(70).negate(),
                        java.math.BigInteger.ONE.shiftLeft(70)).map(F::numberNode),
                Arbitraries.of(0L, -1L, 1L, PaymentRequestValidator.MAX_AMOUNT, PaymentRequestValidator.MAX_AMOUNT + 1,
                        Long.MAX_VALUE, Long.MIN_VALUE).map(F::numberNode),
                Arbitraries.strings().ofMaxLength(200).map(F::textNode),
                Arbitraries.of("", " ", "GBP", "gbp", "XXX", "ZZZ", "CARD", "\u0000", "\uD800", "a\u0085b",
                        "x".repeat(141), "\uD83D\uDE00".repeat(141)).map(F::textNode));
        if (depth == 0) {
            return Arbitraries.oneOf(leaves);
        }
        List<Arbitrary<JsonNode>> all = new ArrayList<>(leaves);
        all.add(jsonValues(depth - 1).list().ofMaxSize(3).map(items -> {
            var array = F.arrayNode();
            items.forEach(array::add);
            return array;
        }));
        all.add(Arbitraries.maps(Arbitraries.of("amount", "currency", "payerId", "reference", "x"), jsonValues(depth - 1))
                .ofMaxSize(4).map(m -> {
                    var object = F.objectNode();
                    m.forEach(object::set);
                    return object;
                }));
        return Arbitraries.oneOf(all);
    }
}
