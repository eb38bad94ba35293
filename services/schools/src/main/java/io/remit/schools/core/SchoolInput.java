package io.remit.schools.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A school as clients send it ({@code POST /schools}, {@code PUT /schools/{id}}) and as the seed
 * file lists it, with the whole account number. Unknown fields are ignored. {@link #toString()}
 * masks the account number.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SchoolInput(String id, String name, String country, String currency, List<String> paymentMethods,
                          BankAccount bankAccount) {

    /** Bank details as sent: the account number whole (an IBAN, or 6 to 20 digits). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BankAccount(String bankName, String accountNumber) {
        @Override
        public String toString() {
            return "BankAccount[bankName=" + bankName + ", accountNumber="
                    + (accountNumber == null ? null : AccountNumber.of(accountNumber)) + "]";
        }
    }
}
