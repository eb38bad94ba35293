package io.remit.schools.core;

import java.util.Arrays;
import java.util.List;

/** The ways a school accepts money. */
public enum PaymentMethod {
    BANK_TRANSFER, CARD, DIRECT_DEBIT, MOBILE_WALLET;

    public static boolean isKnown(String name) {
        return Arrays.stream(values()).anyMatch(m -> m.name().equals(name));
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
