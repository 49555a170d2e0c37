package dev.graft.experiment;

/**
 * Contrastive fine-tuning of the encoder on pairs of labelled shots (SetFit, Tunstall et al.
 * 2022): same class → target cosine 1, different → 0, loss the mean squared difference.
 *
 * @param iterations pairs per shot and iteration: each iteration draws, for every shot, one
 *     same-class and one different-class partner (default 20, SetFit's {@code num_iterations})
 * @param epochs passes over the pairs (default 1)
 */
public record ContrastiveSection(Integer iterations, Integer epochs) {}
