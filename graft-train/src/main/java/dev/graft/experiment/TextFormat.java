package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import dev.graft.data.Groups;
import dev.graft.data.TextReader;
import dev.graft.data.TextTokenizer;
import dev.graft.experiment.ExperimentConfig.DataSection;
import dev.graft.experiment.ExperimentConfig.TextSection;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code format: text_csv} and {@code text_jsonl}: one text and one label per row, each text
 * tokenized by {@code data.text.tokenizer} into {@code max_length} token ids (see
 * {@link TextReader}). A group column (or JSON field) may name each text's group.
 *
 * @param file the file format
 */
record TextFormat(TextReader.Format file) implements DataFormat {
    @Override
    public Samples samples() {
        return Samples.TOKENS;
    }

    @Override
    public boolean groupColumn() {
        return true;
    }

    @Override
    public boolean groupFiles() {
        return false;
    }

    @Override
    public Read read(Input in) {
        DataSection d = in.d();
        Options o = options(in);
        String group = d.groups() == null ? null : d.groups().column();
        TextReader.Fields fields = fields(o, o.label, group, in.where());
        try (TextTokenizer tok = TextTokenizer.open(o.tokenizer, o.maxLength)) {
            TextReader.Result r = TextReader.read(in.train(), file, fields, tok, null, in.limits());
            TaskData.Named named = TaskData.named(r.examples(), r.classNames(), r.numbered(), d.classNames());
            Examples pool = named.pool();
            List<String> names = named.names();
            TextReader.Result t = in.test() == null ? null
                    : TextReader.read(in.test(), file, fields, tok, names, in.limits());
            Examples test = t == null ? null : t.examples();
            if (group != null) {
                Groups[] g = TaskGroups.fromValues(r.groups(), t == null ? null : t.groups());
                pool = pool.withGroups(g[0]);
                test = test == null ? null : test.withGroups(g[1]);
            }
            int texts = r.examples().size() + (t == null ? 0 : t.examples().size());
            TextSummary summary = new TextSummary(o.tokenizer, tok.sha256(), o.maxLength, tok.padId(), o.text, texts,
                    r.truncated() + (t == null ? 0 : t.truncated()), r.empty() + (t == null ? 0 : t.empty()));
            return new Read(pool, test, r.numbered() ? null : names, named.byClassNames(), List.of(), summary);
        }
    }

    @Override
    public Examples readForPrediction(Input in, List<String> classes) {
        Options o = options(in);
        // a group column is not read: groups only measure, and the model predicts without them
        try (TextTokenizer tok = TextTokenizer.open(o.tokenizer, o.maxLength)) {
            return TextReader.read(in.train(), file, fields(o, classes == null ? null : o.label, null, in.where()), tok,
                    classes, in.limits()).examples();
        }
    }

    @Override
    public java.util.Optional<Boolean> labelled(Input in) {
        Options o = options(in);
        return java.util.Optional.of(TextReader.hasField(in.train(), file, o.label, in.limits()));
    }

    /** The data.text section, checked, with defaults filled in. */
    private record Options(Path tokenizer, int maxLength, String text, String label) {}

    private static Options options(Input in) {
        TextSection t = in.d().text();
        String key = in.where() + ".text";
        if (t == null) {
            throw new GraftInputException(key + ": missing (a text task needs tokenizer and max_length)");
        }
        if (t.tokenizer() == null) {
            throw new GraftInputException(key + ".tokenizer: missing (a Hugging Face tokenizer.json)");
        }
        if (t.maxLength() == null) {
            throw new GraftInputException(key + ".max_length: missing (token ids per text; the model's input length)");
        }
        if (t.maxLength() < 2 || t.maxLength() > TextTokenizer.MAX_LENGTH) {
            throw new GraftInputException(key + ".max_length: must be between 2 and " + TextTokenizer.MAX_LENGTH
                    + ", got " + t.maxLength());
        }
        return new Options(TaskData.path(in.base(), t.tokenizer(), key + ".tokenizer").toAbsolutePath(), t.maxLength(),
                t.text() == null ? "text" : t.text(), t.label() == null ? "label" : t.label());
    }

    private static TextReader.Fields fields(Options o, String label, String group, String where) {
        if (o.text.equals(label) || o.text.equals(group) || (label != null && label.equals(group))) {
            throw new GraftInputException(where + ".text: the text, label and group columns must differ (text '" + o.text
                    + "', label '" + o.label + "'" + (group == null ? "" : ", groups.column '" + group + "'") + ")");
        }
        return new TextReader.Fields(o.text, label, group);
    }
}
