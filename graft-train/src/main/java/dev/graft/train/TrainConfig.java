package dev.graft.train;

/**
 * How one fine-tune runs.
 *
 * @param optimizer the update rule and base learning rate
 * @param epochs passes over the training set
 * @param batchSize samples per step
 * @param schedule the learning-rate schedule over all steps
 * @param layerDecay discriminative learning rates: the k-th layer group below the top trains at
 *     {@code layerDecay^k} × its rate (1 turns it off)
 * @param gradualUnfreezeEvery ULMFiT's gradual unfreezing: start with the top layer group and
 *     unfreeze one more group every this many epochs (0 turns it off)
 * @param regularization L1, L2 and L2-SP penalties
 * @param freezeBatchNormStats keep every BatchNorm's running statistics fixed
 * @param labelSmoothing ε: targets become (1 − ε)·one-hot + ε/K
 * @param imbalance class weights, oversampling or SMOTE
 * @param augment data augmentation
 * @param earlyStopping early stopping on the validation set
 * @param dropout the probability for every dropout layer of the model, or NaN to keep the spec's
 * @param headFit how a linear head on a frozen trunk is trained
 * @param adversarial adversarial fine-tuning (FGSM or PGD examples made every step), or
 *     {@link AdversarialTraining#OFF}
 */
public record TrainConfig(OptimizerConfig optimizer, int epochs, int batchSize, Schedule schedule, double layerDecay,
        int gradualUnfreezeEvery, Regularization regularization, boolean freezeBatchNormStats, double labelSmoothing,
        Imbalance imbalance, AugmentConfig augment, EarlyStopping earlyStopping, double dropout, HeadFit headFit,
        AdversarialTraining adversarial) {

    public TrainConfig {
        if (epochs <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive");
        }
        if (!(layerDecay > 0 && layerDecay <= 1)) {
            throw new IllegalArgumentException("layer decay must be in (0, 1]");
        }
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1)");
        }
        if (!Double.isNaN(dropout) && (dropout < 0 || dropout >= 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1)");
        }
        java.util.Objects.requireNonNull(headFit, "headFit");
        java.util.Objects.requireNonNull(adversarial, "adversarial");
    }

    /** A configuration without adversarial training. */
    public TrainConfig(OptimizerConfig optimizer, int epochs, int batchSize, Schedule schedule, double layerDecay,
            int gradualUnfreezeEvery, Regularization regularization, boolean freezeBatchNormStats,
            double labelSmoothing, Imbalance imbalance, AugmentConfig augment, EarlyStopping earlyStopping,
            double dropout, HeadFit headFit) {
        this(optimizer, epochs, batchSize, schedule, layerDecay, gradualUnfreezeEvery, regularization,
                freezeBatchNormStats, labelSmoothing, imbalance, augment, earlyStopping, dropout, headFit,
                AdversarialTraining.OFF);
    }

    /** Adam at {@code lr}, constant schedule, nothing else. */
    public static TrainConfig simple(OptimizerKind kind, double lr, int epochs, int batchSize) {
        return new TrainConfig(OptimizerConfig.defaults(kind, lr), epochs, batchSize, new Schedule.Constant(), 1, 0,
                Regularization.NONE, false, 0, Imbalance.NONE, AugmentConfig.NONE, EarlyStopping.OFF, Double.NaN,
                HeadFit.AUTO, AdversarialTraining.OFF);
    }

    /** This configuration with another optimizer. */
    public TrainConfig withOptimizer(OptimizerConfig o) {
        return new TrainConfig(o, epochs, batchSize, schedule, layerDecay, gradualUnfreezeEvery, regularization,
                freezeBatchNormStats, labelSmoothing, imbalance, augment, earlyStopping, dropout, headFit, adversarial);
    }

    /** This configuration with another epoch budget. */
    public TrainConfig withEpochs(int e) {
        return new TrainConfig(optimizer, e, batchSize, schedule, layerDecay, gradualUnfreezeEvery, regularization,
                freezeBatchNormStats, labelSmoothing, imbalance, augment, earlyStopping, dropout, headFit, adversarial);
    }

    /** This configuration with discriminative rates and gradual unfreezing set. */
    public TrainConfig withLayerwise(double decay, int unfreezeEvery) {
        return new TrainConfig(optimizer, epochs, batchSize, schedule, decay, unfreezeEvery, regularization,
                freezeBatchNormStats, labelSmoothing, imbalance, augment, earlyStopping, dropout, headFit, adversarial);
    }

    /** This configuration with other penalties. */
    public TrainConfig withRegularization(Regularization r) {
        return new TrainConfig(optimizer, epochs, batchSize, schedule, layerDecay, gradualUnfreezeEvery, r,
                freezeBatchNormStats, labelSmoothing, imbalance, augment, earlyStopping, dropout, headFit, adversarial);
    }

    /** This configuration with BatchNorm statistics frozen or not. */
    public TrainConfig withFrozenBatchNormStats(boolean frozen) {
        return new TrainConfig(optimizer, epochs, batchSize, schedule, layerDecay, gradualUnfreezeEvery, regularization,
                frozen, labelSmoothing, imbalance, augment, earlyStopping, dropout, headFit, adversarial);
    }

    /** This configuration with other early stopping. */
    public TrainConfig withEarlyStopping(EarlyStopping es) {
        return new TrainConfig(optimizer, epochs, batchSize, schedule, layerDecay, gradualUnfreezeEvery, regularization,
                freezeBatchNormStats, labelSmoothing, imbalance, augment, es, dropout, headFit, adversarial);
    }

    /** This configuration with another way of training a head on a frozen trunk. */
    public TrainConfig withHeadFit(HeadFit fit) {
        return new TrainConfig(optimizer, epochs, batchSize, schedule, layerDecay, gradualUnfreezeEvery, regularization,
                freezeBatchNormStats, labelSmoothing, imbalance, augment, earlyStopping, dropout, fit, adversarial);
    }

    /** This configuration with other adversarial training. */
    public TrainConfig withAdversarial(AdversarialTraining a) {
        return new TrainConfig(optimizer, epochs, batchSize, schedule, layerDecay, gradualUnfreezeEvery, regularization,
                freezeBatchNormStats, labelSmoothing, imbalance, augment, earlyStopping, dropout, headFit, a);
    }

    /**
     * This configuration with {@code range} as the values an input may take: adversarial examples
     * are clamped into it. An experiment sets its data's range ({@link dev.graft.robust.InputRange#of})
     * on its base configuration, so that every strategy's configuration carries it.
     */
    public TrainConfig withInputRange(dev.graft.robust.InputRange range) {
        return withAdversarial(adversarial.withRange(range));
    }
}
