package io.remit.fx.core;

/**
 * A currency fx prices.
 *
 * @param code        ISO 4217 code, e.g. {@code GBP}
 * @param name        display name, e.g. {@code Pound Sterling}
 * @param minorDigits digits of its minor unit: 2 for USD (cents), 0 for JPY, 3 for KWD (fils)
 */
public record Currency(String code, String name, int minorDigits) {
}
