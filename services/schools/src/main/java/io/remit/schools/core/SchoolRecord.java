package io.remit.schools.core;

import io.remit.schools.api.School;
import java.util.List;

/**
 * A school as schools holds it, with the whole account number. Never answered as is: the API
 * answers {@link #toApi()}, with the account masked. {@link #toString()} masks it too.
 *
 * @param paymentMethods names of {@link PaymentMethod}s, without duplicates
 */
public record SchoolRecord(String id, String name, String country, String currency, List<String> paymentMethods,
                           String bankName, AccountNumber accountNumber) {

    public SchoolRecord {
        paymentMethods = List.copyOf(paymentMethods);
    }

    public School toApi() {
        return new School(id, name, country, currency, paymentMethods,
                new School.MaskedAccount(bankName, accountNumber == null ? null : accountNumber.last4()));
    }

    public SchoolRecord withAccountNumber(AccountNumber number) {
        return new SchoolRecord(id, name, country, currency, paymentMethods, bankName, number);
    }
}
