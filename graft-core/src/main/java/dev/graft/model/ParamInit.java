package dev.graft.model;

/** A tensor's default initial values, as PyTorch's module sets them. */
public enum ParamInit {
    /** Uniform in ±1/√fan_in (linear and convolution weights and biases). */
    FAN_IN_UNIFORM,
    /** All ones (norm scales, running variance). */
    ONES,
    /** All zeros (norm shifts, running mean, counters). */
    ZEROS,
    /**
     * Normal with mean 0 and standard deviation 0.02: Hugging Face's BERT initialization
     * ({@code initializer_range}) of its linear weights and embeddings.
     */
    NORMAL_0_02
}
