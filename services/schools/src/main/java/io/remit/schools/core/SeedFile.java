package io.remit.schools.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.remit.kit.http.Problem;
import io.remit.kit.http.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the seed catalogue (YAML, see {@code configs/schools/schools.yml}): a {@code schools:}
 * list of entries shaped like a {@code POST /schools} body. Each entry is checked as the API
 * would check it; a file with any problem is refused with all of them listed, each with its
 * position ({@code schools[3].country: ...}).
 */
public final class SeedFile {

    /** The classpath copy of {@code configs/schools/schools.yml}, used when no file is configured. */
    public static final String BUNDLED = "/io/remit/schools/schools.yml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record Model(@JsonProperty("schools") List<SchoolInput> schools) {
    }

    private SeedFile() {
    }

    /** Loads {@code path}, or the bundled seed when it is null or blank. */
    public static List<SchoolRecord> load(String path) {
        if (path == null || path.isBlank()) {
            try (InputStream in = SeedFile.class.getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled seed " + BUNDLED + " is missing from the jar");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + BUNDLED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            return parse(Files.readString(Path.of(path)), path);
        } catch (IOException e) {
            throw new IllegalArgumentException("seed file " + path + " cannot be read: " + e);
        }
    }

    public static List<SchoolRecord> parse(String yaml, String source) {
        Model model;
        try {
            model = YAML.readValue(yaml, Model.class);
        } catch (JsonProcessingException e) {
            // the message of a mapping error names the field and line, not the value
            throw new IllegalArgumentException("seed file " + source + " is not a valid seed: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        List<SchoolInput> inputs = model == null || model.schools() == null ? List.of() : model.schools();
        Problems problems = new Problems();
        List<SchoolRecord> schools = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            String at = "schools[" + i + "].";
            SchoolValidator.validate(inputs.get(i), at, SchoolValidator.Account.REQUIRED, problems).ifPresent(schools::add);
            SchoolInput input = inputs.get(i);
            if (input != null && input.id() != null && !ids.add(input.id())) {
                problems.add(at + "id", "repeats " + input.id());
            }
        }
        if (!problems.isEmpty()) {
            List<String> lines = problems.list().stream().map((Problem p) -> p.field() + ": " + p.reason()).toList();
            throw new IllegalArgumentException("seed file " + source + " has " + lines.size() + " problem(s):\n  "
                    + String.join("\n  ", lines));
        }
        return List.copyOf(schools);
    }
}
