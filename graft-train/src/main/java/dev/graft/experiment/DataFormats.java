package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.TextReader;
import dev.graft.experiment.ExperimentConfig.DataSection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** The data formats by their {@code data.format} name. Immutable. */
final class DataFormats {
    private static final Map<String, DataFormat> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("idx", new IdxFormat());
        FORMATS.put("csv", new CsvFormat());
        FORMATS.put("folder", new FolderFormat());
        FORMATS.put("text_csv", new TextFormat(TextReader.Format.CSV));
        FORMATS.put("text_jsonl", new TextFormat(TextReader.Format.JSONL));
    }

    private DataFormats() {}

    /** The section's format name, lowercased; {@code idx} when it names none. */
    static String name(DataSection d) {
        return d.format() == null ? "idx" : d.format().toLowerCase(Locale.ROOT);
    }

    /**
     * The section's format.
     *
     * @throws GraftInputException "WHERE.format: unknown format 'x' (idx, csv, …)"
     */
    static DataFormat of(DataSection d, String where) {
        DataFormat f = FORMATS.get(name(d));
        if (f == null) {
            throw new GraftInputException(where + ".format: unknown format '" + name(d) + "' ("
                    + String.join(", ", FORMATS.keySet()) + ")");
        }
        return f;
    }

    /** The names of the formats that pass {@code test}, in registration order. */
    static List<String> names(Predicate<DataFormat> test) {
        return FORMATS.entrySet().stream().filter(e -> test.test(e.getValue())).map(Map.Entry::getKey).toList();
    }
}
