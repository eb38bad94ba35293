package io.remit.schools.core;

import io.remit.kit.http.Problems;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a {@link SchoolInput} and turns it into a {@link SchoolRecord}, reporting every problem
 * (field and reason) at once. Codes are read in any case and answered in capitals. No reason ever
 * repeats an account number. Stateless.
 */
public final class SchoolValidator {

    public static final Pattern ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");
    public static final int MAX_NAME = 200;

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    private static final Pattern IBAN = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{6,20}");
    private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

    /** Whether account numbers are required (create, seed) or may be left out to keep the current one (replace). */
    public enum Account { REQUIRED, OPTIONAL }

    private SchoolValidator() {
    }

    /**
     * The record for {@code input}, or empty with the problems added to {@code problems}, each
     * field prefixed with {@code at} (e.g. {@code schools[3].}; empty for a request body). With
     * {@link Account#OPTIONAL}, a record without an account number may be returned.
     */
    public static Optional<SchoolRecord> validate(SchoolInput input, String at, Account account, Problems problems) {
        int before = problems.list().size();
        if (input == null) {
            problems.add(at.isEmpty() ? "body" : at.substring(0, at.length() - 1), "is required");
            return Optional.empty();
        }
        if (problems.require(input.id(), at + "id")) {
            problems.check(ID.matcher(input.id()).matches(), at + "id",
                    "must be 1 to 64 lowercase letters, digits and inner hyphens, e.g. university-of-oxford");
        }
        if (problems.require(input.name(), at + "name")) {
            problems.check(input.name().strip().length() <= MAX_NAME, at + "name", "must be at most " + MAX_NAME + " characters");
        }
        String country = upper(input.country());
        if (problems.require(country, at + "country")) {
            problems.check(country.length() == 2 && COUNTRIES.contains(country), at + "country",
                    "is not an ISO 3166-1 alpha-2 country code: " + input.country());
        }
        String currency = upper(input.currency());
        if (problems.require(currency, at + "currency")) {
            problems.check(currency.matches("[A-Z]{3}") && CURRENCIES.contains(currency), at + "currency",
                    "is not an ISO 4217 currency code: " + input.currency());
        }
        List<String> methods = new ArrayList<>();
        if (input.paymentMethods() == null || input.paymentMethods().isEmpty()) {
            problems.add(at + "paymentMethods", "must list at least one of " + PaymentMethod.names());
        } else {
            for (int i = 0; i < input.paymentMethods().size(); i++) {
                String method = upper(input.paymentMethods().get(i));
                if (problems.check(PaymentMethod.isKnown(method), at + "paymentMethods[" + i + "]",
                        "unknown payment method " + input.paymentMethods().get(i) + " (known: "
                                + String.join(", ", PaymentMethod.names()) + ")") && !methods.contains(method)) {
                    methods.add(method);
                }
            }
        }
        AccountNumber number = null;
        SchoolInput.BankAccount bank = input.bankAccount();
        if (bank == null) {
            problems.add(at + "bankAccount", "is required: {bankName, accountNumber}");
        } else {
            if (problems.require(bank.bankName(), at + "bankAccount.bankName")) {
                problems.check(bank.bankName().strip().length() <= MAX_NAME, at + "bankAccount.bankName",
                        "must be at most " + MAX_NAME + " characters");
            }
            if (bank.accountNumber() == null && account == Account.OPTIONAL) {
                number = null;
            } else if (problems.require(bank.accountNumber(), at + "bankAccount.accountNumber")) {
                number = AccountNumber.of(bank.accountNumber());
                accountProblem(number.reveal()).ifPresent(reason -> problems.add(at + "bankAccount.accountNumber", reason));
            }
        }
        if (problems.list().size() > before) {
            return Optional.empty();
        }
        return Optional.of(new SchoolRecord(input.id(), input.name().strip(), country, currency, methods,
                bank.bankName().strip(), number));
    }

    /** Why a normalised account number is not acceptable; empty when it is. Never quotes the number. */
    static Optional<String> accountProblem(String number) {
        if (number.length() >= 2 && Character.isLetter(number.charAt(0)) && Character.isLetter(number.charAt(1))) {
            if (!IBAN.matcher(number).matches()) {
                return Optional.of("is not a valid IBAN: 2 letters, 2 check digits, then 11 to 30 letters or digits");
            }
            if (!COUNTRIES.contains(number.substring(0, 2))) {
                return Optional.of("is not a valid IBAN: it does not start with a country code");
            }
            return ibanChecksumOk(number) ? Optional.empty() : Optional.of("is not a valid IBAN: its check digits do not match");
        }
        return DIGITS.matcher(number).matches() ? Optional.empty()
                : Optional.of("must be an IBAN or 6 to 20 digits (spaces and hyphens are ignored)");
    }

    /** ISO 13616: move the first four characters to the end, letters to 10..35, the number mod 97 is 1. */
    static boolean ibanChecksumOk(String iban) {
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder digits = new StringBuilder(rearranged.length() * 2);
        for (char c : rearranged.toCharArray()) {
            digits.append(Character.digit(c, 36));
        }
        return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
    }

    private static String upper(String s) {
        return s == null ? null : s.strip().toUpperCase(Locale.ROOT);
    }
}
