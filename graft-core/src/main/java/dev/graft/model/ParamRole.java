package dev.graft.model;

/** What a tensor of a model is, with its PyTorch {@code state_dict} suffix. */
public enum ParamRole {
    WEIGHT("weight", true),
    BIAS("bias", true),
    RUNNING_MEAN("running_mean", false),
    RUNNING_VAR("running_var", false),
    NUM_BATCHES_TRACKED("num_batches_tracked", false);

    private final String suffix;
    private final boolean trainable;

    ParamRole(String suffix, boolean trainable) {
        this.suffix = suffix;
        this.trainable = trainable;
    }

    public String suffix() {
        return suffix;
    }

    /** Whether an optimizer updates it (buffers such as running statistics are not). */
    public boolean trainable() {
        return trainable;
    }
}
