package io.remit.fx.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the seed rates (YAML, see {@code configs/fx/rates.yml}) into a {@link RateTable}:
 *
 * <pre>{@code
 * base: USD
 * currencies:
 *   USD: {name: US Dollar, minorDigits: 2, rate: "1"}
 *   JPY: {name: Yen, minorDigits: 0, rate: "151.42"}
 * }</pre>
 *
 * A file with problems is refused as a whole, with every problem listed
 * ({@link InvalidSeedException}); fx does not start on a half-read table.
 */
public final class RatesFile {

    /** The classpath copy of {@code configs/fx/rates.yml}, used when no file is configured. */
    public static final String BUNDLED = "/io/remit/fx/rates.yml";

    /** The smallest and largest rates accepted (units per base unit): they bound the arithmetic of amounts. */
    public static final BigDecimal MIN_RATE = new BigDecimal("0.000001");
    public static final BigDecimal MAX_RATE = new BigDecimal("1000000000");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record Entry(@JsonProperty("name") String name, @JsonProperty("minorDigits") Integer minorDigits,
                 @JsonProperty("rate") String rate) {
    }

    record Model(@JsonProperty("base") String base, @JsonProperty("currencies") LinkedHashMap<String, Entry> currencies) {
    }

    private RatesFile() {
    }

    /** Loads {@code path}, or the bundled seed when {@code path} is null or blank. */
    public static RateTable load(String path) {
        if (path == null || path.isBlank()) {
            try (InputStream in = RatesFile.class.getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled rates " + BUNDLED + " are missing from the jar");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + BUNDLED);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled rates " + BUNDLED, e);
            }
        }
        Path file = Path.of(path);
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new InvalidSeedException(file.toString(), List.of("cannot read it: " + e));
        }
    }

    /** Parses and validates YAML text; {@code source} names it in errors. */
    public static RateTable parse(String yaml, String source) {
        Model model;
        try {
            model = YAML.readValue(yaml, Model.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new InvalidSeedException(source, List.of("not a valid rates file: " + e.getOriginalMessage() + where));
        }
        if (model == null) {
            throw new InvalidSeedException(source, List.of("is empty"));
        }
        List<String> problems = new ArrayList<>();
        Map<String, BigDecimal> rates = new TreeMap<>();
        List<Currency> currencies = new ArrayList<>();
        Map<String, Entry> entries = model.currencies() == null ? Map.of() : model.currencies();
        if (entries.isEmpty()) {
            problems.add("currencies: at least one currency is required");
        }
        entries.forEach((code, entry) -> {
            String at = "currencies." + code;
            boolean ok = true;
            if (!code.matches("[A-Z]{3}")) {
                problems.add(at + ": not an ISO 4217 code (three capital letters)");
                ok = false;
            }
            if (entry == null) {
                problems.add(at + ": name, minorDigits and rate are required");
                return;
            }
            if (entry.name() == null || entry.name().isBlank()) {
                problems.add(at + ".name: is required");
                ok = false;
            }
            if (entry.minorDigits() == null || entry.minorDigits() < 0 || entry.minorDigits() > 4) {
                problems.add(at + ".minorDigits: must be 0 to 4");
                ok = false;
            }
            BigDecimal rate = parseRate(entry.rate());
            if (rate == null) {
                problems.add(at + ".rate: " + RATE_RULE);
                ok = false;
            }
            if (ok) {
                currencies.add(new Currency(code, entry.name().strip(), entry.minorDigits()));
                rates.put(code, rate);
            }
        });
        String base = model.base();
        if (base == null || base.isBlank()) {
            problems.add("base: is required");
        } else if (!entries.containsKey(base)) {
            problems.add("base: " + base + " is not among the currencies");
        } else if (rates.containsKey(base) && rates.get(base).compareTo(BigDecimal.ONE) != 0) {
            problems.add("currencies." + base + ".rate: the base currency's rate must be \"1\"");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSeedException(source, problems);
        }
        return new RateTable(base, currencies, rates);
    }

    /** What a rate must be, for error messages. */
    public static final String RATE_RULE = "must be a decimal from " + MIN_RATE.toPlainString() + " to "
            + MAX_RATE.toPlainString() + ", written as a string, e.g. \"0.7853\"";

    /** A decimal from {@link #MIN_RATE} to {@link #MAX_RATE}, or null. */
    public static BigDecimal parseRate(String text) {
        if (text == null) {
            return null;
        }
        try {
            BigDecimal rate = new BigDecimal(text.strip());
            return rate.compareTo(MIN_RATE) >= 0 && rate.compareTo(MAX_RATE) <= 0 ? rate : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
