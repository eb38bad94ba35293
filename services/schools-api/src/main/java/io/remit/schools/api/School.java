package io.remit.schools.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A receiving institution as schools answers it. Bank details are masked: only the last four
 * digits of the account number ever leave the service.
 *
 * @param id             stable id, e.g. {@code oxford-brookes}
 * @param name           display name
 * @param country        ISO 3166-1 alpha-2, e.g. {@code GB}
 * @param currency       ISO 4217 code the school is paid in, e.g. {@code GBP}
 * @param paymentMethods accepted methods, e.g. {@code BANK_TRANSFER}, {@code CARD}
 * @param bankAccount    masked bank details
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record School(String id, String name, String country, String currency, List<String> paymentMethods,
                     MaskedAccount bankAccount) {

    /** Bank details with the account number reduced to its last four digits. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MaskedAccount(String bankName, String accountLast4) {
    }

    public boolean accepts(String method) {
        return paymentMethods != null && paymentMethods.contains(method);
    }
}
