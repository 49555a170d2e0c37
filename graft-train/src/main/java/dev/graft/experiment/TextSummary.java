package dev.graft.experiment;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How a text task's texts became token ids, for the run's output and for {@code graft predict}:
 * the tokenizer file and its digest, the ids per text, and how many texts were cut or empty.
 * Immutable.
 *
 * @param tokenizer the tokenizer.json, absolute
 * @param sha256 its SHA-256, lowercase hex
 * @param maxLength token ids per text
 * @param padId the id padding fills with (the model masks it)
 * @param column the text's column or JSON field
 * @param texts texts read (training file and test file)
 * @param truncated how many of them had more tokens than {@code maxLength} and were cut
 * @param empty how many were empty or blank (they became the special tokens alone)
 */
public record TextSummary(Path tokenizer, String sha256, int maxLength, int padId, String column, int texts,
        int truncated, int empty) {

    /** The summary as one console line. */
    String line() {
        return String.format(Locale.ROOT, "text: column '%s' tokenized by %s (sha256 %s…) into %d token ids, padded "
                + "with id %d: %d of %d texts were longer and cut%s", column, tokenizer, sha256.substring(0, 12),
                maxLength, padId, truncated, texts, empty == 0 ? "" : ", " + empty + " empty");
    }
}
