package io.remit.schools.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.remit.kit.http.Problem;
import io.remit.kit.http.Problems;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchoolValidatorTest {

    static SchoolInput input(String id, String accountNumber) {
        return new SchoolInput(id, "Université de Test", "fr", "eur", List.of("BANK_TRANSFER", "card", "CARD"),
                new SchoolInput.BankAccount("BNP Paribas", accountNumber));
    }

    private static List<Problem> problems(SchoolInput input) {
        Problems problems = new Problems();
        assertThat(SchoolValidator.validate(input, "", SchoolValidator.Account.REQUIRED, problems)).isEmpty();
        return problems.list();
    }

    @Test
    void acceptsAWellFormedSchoolAndNormalisesIt() {
        Optional<SchoolRecord> school = SchoolValidator.validate(input("test-u", "fr52 3000-4008 2800 0123 4567 885"), "",
                SchoolValidator.Account.REQUIRED, new Problems());

        assertThat(school).contains(new SchoolRecord("test-u", "Université de Test", "FR", "EUR", List.of("BANK_TRANSFER", "CARD"),
                "BNP Paribas", AccountNumber.of("FR5230004008280001234567885")));
        assertThat(school.orElseThrow().accountNumber().last4()).isEqualTo("7885");
    }

    @Test
    void listsEveryProblemAtOnceWithoutRepeatingTheAccountNumber() {
        SchoolInput bad = new SchoolInput("Bad Id!", " ", "GBR", "POUND", List.of("CARD", "CHEQUE"),
                new SchoolInput.BankAccount(null, "GB61 BARC 2000 0055 7799 11"));

        assertThat(problems(bad)).containsExactly(
                new Problem("id", "must be 1 to 64 lowercase letters, digits and inner hyphens, e.g. university-of-oxford"),
                new Problem("name", "is required"),
                new Problem("country", "is not an ISO 3166-1 alpha-2 country code: GBR"),
                new Problem("currency", "is not an ISO 4217 currency code: POUND"),
                new Problem("paymentMethods[1]", "unknown payment method CHEQUE (known: BANK_TRANSFER, CARD, DIRECT_DEBIT, MOBILE_WALLET)"),
                new Problem("bankAccount.bankName", "is required"),
                new Problem("bankAccount.accountNumber", "is not a valid IBAN: its check digits do not match"));
    }

    @Test
    void missingPartsAreRequired() {
        assertThat(problems(new SchoolInput(null, null, null, null, null, null))).extracting(Problem::field)
                .containsExactly("id", "name", "country", "currency", "paymentMethods", "bankAccount");
        assertThat(problems(input("x", null))).containsExactly(new Problem("bankAccount.accountNumber", "is required"));
    }

    @Test
    void accountNumbersAreIbansOrDomesticDigits() {
        assertThat(SchoolValidator.accountProblem("GB60BARC20000055779911")).isEmpty();
        assertThat(SchoolValidator.accountProblem("KW74NBOK0000000000001000372151")).isEmpty();
        assertThat(SchoolValidator.accountProblem("483920175566")).isEmpty();
        assertThat(SchoolValidator.accountProblem("3917264")).isEmpty();
        assertThat(SchoolValidator.accountProblem("GB60BARC2000005577991X")).contains("is not a valid IBAN: its check digits do not match");
        assertThat(SchoolValidator.accountProblem("GB60")).contains("is not a valid IBAN: 2 letters, 2 check digits, then 11 to 30 letters or digits");
        assertThat(SchoolValidator.accountProblem("ZZ60BARC20000055779911")).contains("is not a valid IBAN: it does not start with a country code");
        assertThat(SchoolValidator.accountProblem("12345")).contains("must be an IBAN or 6 to 20 digits (spaces and hyphens are ignored)");
        assertThat(SchoolValidator.accountProblem("12345678901234567890123")).isPresent();
        assertThat(SchoolValidator.accountProblem("1234ABCD")).isPresent();
    }

    @Test
    void aReplacementMayKeepTheAccountNumber() {
        Problems problems = new Problems();
        Optional<SchoolRecord> school = SchoolValidator.validate(input("x", null), "", SchoolValidator.Account.OPTIONAL, problems);
        assertThat(problems.isEmpty()).isTrue();
        assertThat(school.orElseThrow().accountNumber()).isNull();
    }

    @Test
    void theAccountNumberNeverShowsInText() {
        AccountNumber number = AccountNumber.of("GB60 BARC 2000 0055 7799 11");
        SchoolRecord school = new SchoolRecord("x", "X", "GB", "GBP", List.of("CARD"), "Barclays", number);
        SchoolInput input = input("x", "GB60 BARC 2000 0055 7799 11");

        assertThat(number.reveal()).isEqualTo("GB60BARC20000055779911");
        assertThat(number).hasToString("****9911");
        assertThat(school.toString()).doesNotContain("GB60BARC").contains("****9911");
        assertThat(input.toString()).doesNotContain("GB60 BARC").doesNotContain("GB60BARC").contains("****9911");
        assertThat(school.toApi().bankAccount().accountLast4()).isEqualTo("9911");
    }
}
