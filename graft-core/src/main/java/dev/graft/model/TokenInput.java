package dev.graft.model;

/**
 * What a model that reads token ids expects of them: ids in {@code [0, vocabSize)}, padding filled
 * with {@code padId} (the id the model masks out). A text task's tokenizer must agree with both.
 *
 * @param vocabSize the embedding table's rows
 * @param padId the id the model reads as padding
 */
public record TokenInput(int vocabSize, int padId) {}
