package io.remit.schools.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.kit.SecretSealer;
import io.remit.kit.http.Problem;
import io.remit.kit.http.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A school as stored (JSON, the account number sealed by a {@link SecretSealer} with the school id
 * as context):
 *
 * <pre>{@code
 * {"id": "mit", "name": "...", "country": "US", "currency": "USD", "paymentMethods": ["CARD"],
 *  "bankName": "...", "accountNumberSealed": "v1.1a2b3c4d.Qm9..."}
 * }</pre>
 *
 * Decoding checks the record as an API write would, so a hand-edited value that breaks a rule is
 * refused rather than served. Thread-safe.
 */
public final class SchoolCodec {

    /** The stored JSON. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Stored(String id, String name, String country, String currency, List<String> paymentMethods,
                  String bankName, String accountNumberSealed) {
    }

    private final ObjectMapper json;
    private final SecretSealer box;

    public SchoolCodec(ObjectMapper json, SecretSealer box) {
        this.json = json;
        this.box = box;
    }

    public SecretSealer box() {
        return box;
    }

    public byte[] encode(SchoolRecord school) {
        Stored stored = new Stored(school.id(), school.name(), school.country(), school.currency(),
                school.paymentMethods(), school.bankName(), box.seal(school.accountNumber().reveal(), context(school.id())));
        try {
            return json.writeValueAsBytes(stored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param id the id the value is stored under
     * @throws IllegalArgumentException or {@link SecretSealer.UnsealableException} when the value cannot
     *                                  be used; the message names the problem, never the account
     */
    public SchoolRecord decode(String id, byte[] value) {
        Stored stored;
        try {
            stored = json.readValue(value, Stored.class);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            throw new IllegalArgumentException("not a stored school: " + why);
        }
        if (stored == null || !id.equals(stored.id())) {
            throw new IllegalArgumentException("stored under " + id + " but its id is " + (stored == null ? null : stored.id()));
        }
        if (stored.accountNumberSealed() == null) {
            throw new IllegalArgumentException("no accountNumberSealed");
        }
        String account = box.open(stored.accountNumberSealed(), context(id));
        Problems problems = new Problems();
        SchoolInput input = new SchoolInput(stored.id(), stored.name(), stored.country(), stored.currency(),
                stored.paymentMethods(), new SchoolInput.BankAccount(stored.bankName(), account));
        return SchoolValidator.validate(input, "", SchoolValidator.Account.REQUIRED, problems)
                .orElseThrow(() -> new IllegalArgumentException("breaks the rules: " + problems.list().stream()
                        .map((Problem p) -> p.field() + " " + p.reason()).collect(Collectors.joining("; "))));
    }

    private static String context(String id) {
        return "schools/" + id + "/accountNumber";
    }
}
