package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import dev.graft.model.ModelLayout;
import dev.graft.model.TokenInput;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The check that a tokenizer and a text model agree, wherever token ids meet a model (training,
 * prediction): ids beyond the model's vocabulary would fail the engine mid-run, and padding filled
 * with an id other than the one the model masks would make it attend to padding and mask a real
 * token, silently. Stateless.
 */
public final class TokenAgreement {
    private TokenAgreement() {}

    /**
     * Refuses {@code data} tokenized by {@code tokenizer} (padding with {@code padId}) for
     * {@code layout}, when the model reads token ids and they disagree; does nothing otherwise.
     *
     * @param where what to name first in the message (an experiment file, a data file)
     * @param data the tokenized samples; null entries are skipped
     * @throws GraftInputException naming the tokenizer, the model's spec and both values
     */
    public static void require(ModelLayout layout, int padId, Path tokenizer, String where, Examples... data) {
        Optional<TokenInput> in = layout.tokenInput();
        if (in.isEmpty()) {
            return;
        }
        String model = layout.spec().source();
        if (in.get().padId() != padId) {
            throw new GraftInputException(where + ": the tokenizer " + tokenizer + " pads with id " + padId
                    + " but the model (" + model + ") masks id " + in.get().padId() + " as padding; use the "
                    + "tokenizer the model was trained with, or set the model's pad id to " + padId
                    + " (pad_token_id in a config.json, pad_id in a spec)");
        }
        int high = -1;
        for (Examples e : data) {
            if (e != null) {
                for (float id : e.features()) {
                    high = Math.max(high, (int) id);
                }
            }
        }
        if (high >= in.get().vocabSize()) {
            throw new GraftInputException(where + ": the tokenizer " + tokenizer + " gives token id " + high
                    + " but the model (" + model + ") has a vocabulary of " + in.get().vocabSize()
                    + " (vocab_size); use the tokenizer the model was trained with");
        }
    }
}
