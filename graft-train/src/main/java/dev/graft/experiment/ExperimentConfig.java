package dev.graft.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/**
 * An experiment file, bound field by field; unknown keys are rejected with their path. Paths in
 * it are relative to the file. Absent values take the defaults documented on each field.
 *
 * @param name a label for reports
 * @param data where the samples come from
 * @param model the target model: a spec file ({@code model: net.yaml}) or a family by name
 *     ({@code model: {family: resnet18, num_classes: 5}})
 * @param source the source weights: a checkpoint, a pre-training run, or none (train from scratch)
 * @param plan an optional transfer plan, used by {@code graft train} and by strategies that name it
 * @param train the base training configuration
 * @param strategies what {@code graft compare} runs: built-in names or custom definitions
 * @param seeds seeds for sampling, initialization and shuffling (default [0])
 * @param shots shots per class drawn from the training pool (default: the whole pool)
 * @param output the folder results go to (default graft-out/NAME)
 * @param search the transfer-policy search ({@code graft search})
 * @param retention the source task, to measure and protect what transfer costs it
 * @param robustness an adversarial attack to measure robust test accuracy under, beside clean accuracy
 * @param export measure every run's model as an ONNX export: its size, and Graft's inference time
 * @param task what the label column holds: classes (the default) or, with {@code task: regression},
 *     real values to predict
 * @param head the classical head {@code graft search} fits on every trial's fine-tuned encoder (and
 *     {@code graft train} without {@code --strategy} fits on the transferred one); null: none
 * @param contrastive SetFit's contrastive tuning as {@code graft search}'s recipe (each trial's policy
 *     says how the encoder tunes on pairs, then {@code head} is fitted) and {@code graft train}'s
 *     without {@code --strategy}; null: none
 */
public record ExperimentConfig(String name, DataSection data, ModelSection model, SourceSection source, String plan,
        TrainSection train, List<StrategySpec> strategies, List<Long> seeds, List<Integer> shots, String output,
        SearchSection search, RetentionSection retention, RobustnessSection robustness, ExportSection export,
        TaskSection task, HeadSection head, ContrastiveSection contrastive) {

    /**
     * The kind of task, written alone ({@code task: regression}) or with the regression's loss
     * ({@code task: {type: regression, loss: huber, huber_delta: 1.0}}).
     *
     * @param type {@code classification} (the default) or {@code regression}: the label column
     *     holds real values, the model has one output, and it trains on standardized targets
     * @param loss a regression's loss on standardized targets: {@code mse} (default), {@code mae}
     *     or {@code huber}
     * @param huberDelta Huber's threshold δ in standardized units (default 1.0)
     */
    public record TaskSection(String type, String loss, Double huberDelta) {

        /** A task written as its type alone. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static TaskSection of(String type) {
            return new TaskSection(type, null, null);
        }

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public TaskSection {
        }
    }

    /**
     * Deployment figures for every run ({@code graft compare}, {@code train}): the size in bytes of
     * the run's model exported to ONNX as {@code graft export} writes it, that file's test accuracy
     * and milliseconds per sample under ONNX Runtime (batch 1, one thread), and Graft's own
     * inference milliseconds per test sample. Off without the section.
     *
     * @param int8 export linear and convolution weights as int8, as {@code graft export --int8}
     *     (default false: float32)
     */
    public record ExportSection(Boolean int8) {}

    /**
     * The L∞ attack every run's test set is also measured under, after training, in inference mode:
     * FGSM (Goodfellow et al. 2015) or PGD (Madry et al. 2018). ε and the step size are in units of
     * the normalized inputs; images are clamped to the normalized image of pixel values [0, 1].
     *
     * @param attack {@code fgsm} or {@code pgd} (default pgd)
     * @param eps the L∞ radius ε (required, ≥ 0)
     * @param steps PGD's steps (default 10; fgsm takes one)
     * @param stepSize PGD's step (default 2.5·ε/steps)
     */
    public record RobustnessSection(String attack, Double eps, Integer steps, Double stepSize) {}

    /**
     * The target model: a spec file, written as the path alone ({@code model: specs/net.yaml}), or a
     * model family by name ({@code model: {family: resnet18, num_classes: 5}}) with torchvision's
     * tensor names (see {@code graft spec --list}), or the {@code bert} family built from a
     * Hugging Face config ({@code model: {family: bert, config: minilm.onnx, num_classes: 2}}).
     *
     * @param spec a model spec file (YAML); writing the path alone means the same
     * @param family a model family's name, such as {@code resnet18} or {@code bert}, instead of a spec file
     * @param numClasses the family's number of outputs (required with {@code family})
     * @param input the family's input: [C, H, W] (default: the family's, [3, 224, 224]), or [L]
     *     tokens for {@code bert} (default 128)
     * @param config {@code bert}'s Hugging Face {@code config.json} or ONNX export (required with
     *     {@code bert}; relative to the experiment file)
     * @param pooling {@code bert}'s pooling: {@code mean} (default), {@code cls} or {@code pooler}
     */
    public record ModelSection(String spec, String family, Integer numClasses, List<Integer> input, String config,
            String pooling) {

        /** A spec file, as written alone. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static ModelSection file(String spec) {
            return new ModelSection(spec, null, null, null, null, null);
        }

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public ModelSection {
        }
    }

    /**
     * The source task beside the target: its data, and the head that reads it out. The source
     * model is the target network with the source head in place of {@code head}; its trunk must
     * have the source checkpoint's shapes.
     *
     * @param data the source task's data (its test set measures retention; its pool gives the
     *     search's validation images and EWC's Fisher samples)
     * @param head the target's head layer, whose source counterpart is the source head (default:
     *     the model spec's head)
     * @param testPerClass source test images per class to measure on (default: all)
     * @param fisherSamples source images EWC's Fisher information is estimated on (default 200)
     */
    public record RetentionSection(DataSection data, String head, Integer testPerClass, Integer fisherSamples) {}

    /**
     * A transfer-policy search.
     *
     * @param sampler genetic, annealing, tpe, reinforce, nsga2, random or grid (default tpe)
     * @param trials finished trials to run (default 20)
     * @param shots shots per class of the training split (default: the experiment's first)
     * @param seed the seed of the sampler and of the data split (default 0)
     * @param metric the validation metric: accuracy or macro_f1 (default accuracy), maximized; for a
     *     regression rmse (its default and only choice), minimized
     * @param pruner none, median or successive_halving (default none)
     * @param prunerMinEpochs the epoch of successive halving's first rung (default: a thirtieth of
     *     the shortest epoch budget, at least 1)
     * @param prunerReductionFactor successive halving's η: a trial goes on from a rung when its
     *     best value so far is in the top 1/η there, and the next rung is η times later (default 4)
     * @param timeoutS seconds after which no new trial starts, counted from this run's start (a
     *     resumed search gets them again; running trials finish; default: no limit)
     * @param genes the choices of each gene; a list of one value fixes the gene
     * @param genetic genetic-algorithm settings
     * @param annealing simulated-annealing settings
     * @param tpe TPE settings
     * @param cacheMb memory for cached frozen-prefix activations, in MB (default 512; 0 turns it off)
     * @param reinforce settings of the reinforcement-learning controller
     * @param objectives what the search optimizes: {@code target} (the validation metric; the
     *     default), {@code retention} (source validation accuracy; needs {@code retention}),
     *     {@code parameters} (trainable parameters), {@code latency} (inference milliseconds per
     *     sample), {@code worst_group} (the worst group's validation accuracy; needs
     *     {@code data.groups}) and {@code robustness} (validation accuracy under the
     *     {@code robustness} attack; needs {@code robustness})
     * @param weights each objective's weight in the energy the single-objective samplers minimize,
     *     Σ w·cost with cost 1 − target, 1 − retention, the share of parameters trained,
     *     milliseconds, 1 − worst-group accuracy and 1 − robust accuracy (default 1 each);
     *     {@code nsga2} searches the Pareto front instead
     * @param fitness how a policy's value is estimated from the labelled images (holdout, k-fold or
     *     repeated training seeds), with its standard error
     * @param selection how the final policy is chosen from the estimates, and among which candidates
     * @param prior {@code none} (default) or {@code logme}: seed the first trials with the layer
     *     cuts whose source features score the highest LogME on the labelled images
     */
    public record SearchSection(String sampler, Integer trials, Integer shots, Long seed, String metric, String pruner,
            Integer prunerMinEpochs, Integer prunerReductionFactor, Double timeoutS, GenesSection genes,
            GeneticSection genetic, AnnealingSection annealing, TpeSection tpe, Integer cacheMb,
            ReinforceSection reinforce, List<String> objectives, java.util.Map<String, Double> weights,
            FitnessSection fitness, SelectionSection selection, String prior) {}

    /**
     * The fitness estimator of a search.
     *
     * @param method {@code holdout} (one fine-tune on the shots, scored on the validation images),
     *     {@code kfold} (repeated stratified k-fold cross-validation over every labelled image:
     *     shots and validation together) or {@code repeated} (the holdout with several training
     *     seeds); default kfold, holdout when a pruner is set or there are several objectives
     * @param folds k of kfold (default 2)
     * @param repeats kfold's repetitions with fresh folds, or repeated's training seeds (default 1
     *     for kfold, 3 for repeated)
     */
    public record FitnessSection(String method, Integer folds, Integer repeats) {}

    /**
     * How the final policy is chosen.
     *
     * @param rule {@code shrinkage} (the highest estimate after shrinking each toward the mean of
     *     all by its noise), {@code one_se} (the policy training the fewest parameters among those
     *     within one standard error of the best) or {@code argmax} (default shrinkage)
     * @param handStrategies whether the built-in strategies are candidates too, estimated the same
     *     way (default true)
     */
    public record SelectionSection(String rule, Boolean handStrategies) {}

    /**
     * The reinforcement-learning controller (REINFORCE over per-gene categorical distributions).
     *
     * @param learningRate the step on a normalized advantage of 1 (default 0.5)
     * @param baselineDecay how much of the moving-average baseline each trial keeps (default 0.8)
     */
    public record ReinforceSection(Double learningRate, Double baselineDecay) {}

    /**
     * Gene choices.
     *
     * @param lrMultipliers per-layer LR multipliers
     * @param fractions fractions of units transferred
     * @param baseLrs base learning rates
     * @param l2sp L2-SP strengths
     * @param optimizers optimizers
     * @param epochs epoch budgets
     * @param searchHead search the head's decision too
     * @param groups named unions of layer groups that share genes, such as {@code trunk: [features.0, features.4]}
     */
    public record GenesSection(List<Double> lrMultipliers, List<Double> fractions, List<Double> baseLrs,
            List<Double> l2sp, List<String> optimizers, List<Integer> epochs, Boolean searchHead,
            java.util.Map<String, List<String>> groups) {}

    /**
     * Genetic-algorithm settings (see GeneticSampler).
     *
     * @param population individuals per generation
     * @param generations generations at most
     * @param selection tournament, roulette or truncation
     * @param tournamentSize tournament size
     * @param crossoverPoints 1 for single-point, more for multi-point
     * @param crossoverProbability per pair
     * @param mutationProbability per gene
     * @param adaptiveMutation raise mutation while the population has collapsed
     * @param elites individuals kept unchanged
     * @param steadyGenerations stop after this many generations without improvement
     */
    public record GeneticSection(Integer population, Integer generations, String selection, Integer tournamentSize,
            Integer crossoverPoints, Double crossoverProbability, Double mutationProbability, Boolean adaptiveMutation,
            Integer elites, Integer steadyGenerations) {}

    /**
     * Simulated-annealing settings (see AnnealingSampler).
     *
     * @param cooling linear or exponential
     * @param alpha the exponential factor per move
     * @param genesPerMove genes changed per move
     * @param calibrationMoves random-walk moves that set the initial temperature
     * @param initialAcceptance the share of worsening moves accepted at first
     * @param reheatAfter moves without acceptance before reheating (0: never)
     * @param reheatFactor the reheated temperature as a share of the initial one
     */
    public record AnnealingSection(String cooling, Double alpha, Integer genesPerMove, Integer calibrationMoves,
            Double initialAcceptance, Integer reheatAfter, Double reheatFactor) {}

    /**
     * TPE settings.
     *
     * @param gamma the good/bad quantile
     * @param startup random trials first
     * @param candidates candidates drawn per gene
     */
    public record TpeSection(Double gamma, Integer startup, Integer candidates) {}


    /**
     * Data files and task construction.
     *
     * @param format {@code idx} (default), {@code csv}, {@code folder}, {@code text_csv} or {@code text_jsonl}
     * @param trainImages IDX images of the training pool (or the CSV, text or JSON-lines file, or the
     *     image folder)
     * @param trainLabels IDX labels of the training pool
     * @param testImages IDX images of the test set (or CSV file, or folder)
     * @param testLabels IDX labels of the test set
     * @param classes the original class numbers to keep, relabelled 0..K-1 in this order (with
     *     named labels, positions in the class list)
     * @param classNames display names, one per kept class; with named labels (a CSV of text labels,
     *     a folder), a list that holds every training label fixes the class list and its order, and
     *     every split's labels map onto it by name
     * @param validationPerClass samples per class held out of the pool for validation (default 0)
     * @param validationFraction alternatively, a stratified fraction of the pool (default 0)
     * @param testFraction without test files: a stratified fraction of the pool held out as the
     *     test set (seeded by {@code split_seed}, fixed across runs)
     * @param splitSeed the seed of the test split (default 0)
     * @param caps per-class caps on the pool, to simulate imbalance
     * @param normalize {@code mean} and {@code std} (one, or one per channel or CSV feature), or {@code auto}:
     *     computed on the training pool, per channel for images and per feature for CSV
     * @param csv CSV options
     * @param image image-folder options
     * @param shift a change of domain applied to every image before normalization: {@code invert},
     *     {@code rotate} or {@code noise}
     * @param testShift a change of domain applied to the test images only (a shifted target domain)
     * @param limits bounds on what a data file may make Graft allocate; a file beyond them is refused
     * @param groups each sample's group (footwear and clothing, a site), for metrics per group
     * @param text text-task options (formats {@code text_csv} and {@code text_jsonl}): the
     *     tokenizer, the token ids per text, and the text and label columns or fields
     */
    public record DataSection(String format, String trainImages, String trainLabels, String testImages,
            String testLabels, List<Integer> classes, List<String> classNames, Integer validationPerClass,
            Double validationFraction, Double testFraction, Long splitSeed, List<Integer> caps, NormalizeSection normalize, CsvSection csv,
            ImageSection image, String shift, String testShift, LimitsSection limits, GroupsSection groups,
            TextSection text) {}

    /**
     * Text-task options: a text becomes a sample of {@code max_length} token ids.
     *
     * @param tokenizer a Hugging Face {@code tokenizer.json} (required): its normalizer, model and
     *     special tokens ({@code [CLS] … [SEP]} for BERT) turn each text into token ids
     * @param maxLength token ids per text, special tokens included (required, 2 to 65536): longer
     *     texts are cut, shorter ones padded with the tokenizer's pad id; the model's input is
     *     {@code [max_length]}
     * @param text the text's column (header name or 0-based index) or JSON field (default {@code text})
     * @param label the label's column or JSON field (default {@code label})
     */
    public record TextSection(String tokenizer, Integer maxLength, String text, String label) {}

    /**
     * How samples fall into groups, for accuracy and F1 per group, the worst group and the gap
     * (and the search objective {@code worst_group}). Give exactly one of the three.
     *
     * @param column a CSV column (header name or 0-based index) holding each sample's group; it is
     *     then not a feature
     * @param byClass group name → the class names in it; every class in exactly one group (any format)
     * @param byFile group name → a glob on the image's file name ({@code "*_night.png"}); every image
     *     matches exactly one (folder format)
     */
    public record GroupsSection(String column, java.util.Map<String, List<String>> byClass,
            java.util.Map<String, String> byFile) {}

    /**
     * Bounds on the data files, checked before memory is allocated (a small {@code .gz} that
     * claims billions of values, a CSV line of hundreds of megabytes, a huge image).
     *
     * @param maxMb memory the loaded samples may take, in MB, as 4-byte floats (default 2048)
     * @param maxLineChars characters in one CSV line (default 4194304)
     * @param maxFields fields in one CSV line (default 100000)
     * @param maxImagePixels pixels (width × height) of one image before resizing (default 40000000)
     */
    public record LimitsSection(Long maxMb, Integer maxLineChars, Integer maxFields, Long maxImagePixels) {}

    /**
     * Normalization: fixed constants, or {@code auto: true} to use the training pool's statistics
     * (never the test set's). The run's output prints which were used.
     *
     * @param mean means: one for every value, or one per channel (images) or per feature (CSV)
     * @param std standard deviations (positive), as many as {@code mean}
     * @param auto compute them on the training pool: per channel for images, per feature (column)
     *     for CSV, so a column in the thousands does not swamp columns near 1
     */
    public record NormalizeSection(List<Double> mean, List<Double> std, Boolean auto) {}

    /**
     * CSV options.
     *
     * @param label the label column's name (with a header) or 0-based index (default: the last column)
     * @param header whether the first row names the columns (default true)
     */
    public record CsvSection(String label, Boolean header) {}

    /**
     * Image-folder options.
     *
     * @param width resize to this width (default 32)
     * @param height resize to this height (default 32)
     * @param grayscale one channel instead of three
     */
    public record ImageSection(Integer width, Integer height, Boolean grayscale) {}

    /**
     * Where source weights come from.
     *
     * @param checkpoint a checkpoint file (safetensors, npz, TorchScript or ONNX)
     * @param pretrain or: train the model spec from scratch on these data with this config first
     */
    public record SourceSection(String checkpoint, PretrainSection pretrain) {}

    /**
     * A pre-training run on the source task.
     *
     * @param data the source data
     * @param train its training configuration
     */
    public record PretrainSection(DataSection data, TrainSection train) {}

    /**
     * Training configuration; every field is optional and overrides the defaults (Adam, lr 1e-3,
     * 20 epochs, batch 32, constant schedule).
     *
     * @param optimizer sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad
     * @param lr the base learning rate
     * @param momentum μ for momentum and nesterov
     * @param weightDecay L2 weight decay
     * @param epochs passes over the training set
     * @param batchSize samples per step
     * @param schedule the learning-rate schedule
     * @param layerDecay discriminative learning rates: factor per layer group below the top
     * @param gradualUnfreezeEvery unfreeze one more layer group every this many epochs
     * @param regularization L1, L2 and L2-SP
     * @param freezeBnStats keep BatchNorm running statistics fixed
     * @param labelSmoothing ε for label smoothing
     * @param imbalance none, class_weights, oversample or smote
     * @param augment augmentation
     * @param earlyStopping early stopping on the validation set
     * @param dropout sets the probability of every dropout layer of the model
     * @param headFit how a linear head on a frozen trunk trains: auto, gradient or converged
     * @param adversarial adversarial fine-tuning: train on FGSM or PGD examples made every step
     */
    public record TrainSection(String optimizer, Double lr, Double momentum, Double weightDecay, Integer epochs,
            Integer batchSize, ScheduleSection schedule, Double layerDecay, Integer gradualUnfreezeEvery,
            RegularizationSection regularization, Boolean freezeBnStats, Double labelSmoothing, String imbalance,
            AugmentSection augment, EarlyStoppingSection earlyStopping, Double dropout, String headFit,
            AdversarialSection adversarial) {}

    /**
     * Adversarial fine-tuning: every step makes adversarial versions of its batch against the
     * current weights (in inference mode, with the ε-ball and clamping of the {@code robustness}
     * section) and trains on them. In a strategy's {@code train}, the section replaces the
     * experiment's whole ({@code method: none} turns it off).
     *
     * @param method {@code fgsm}, {@code pgd} or {@code none} (default pgd)
     * @param eps the L∞ radius ε in normalized input units (required, ≥ 0)
     * @param steps PGD's steps (default 10; fgsm takes one)
     * @param stepSize PGD's step (default 2.5·ε/steps)
     * @param mix the adversarial loss's weight against the clean loss's, in (0, 1] (default 1:
     *     adversarial examples only; 0.5 is Goodfellow et al. 2015's half and half)
     */
    public record AdversarialSection(String method, Double eps, Integer steps, Double stepSize, Double mix) {}

    /**
     * A learning-rate schedule.
     *
     * @param type constant, step, exponential, cosine or one_cycle
     * @param stepSize steps between decays (step)
     * @param gamma decay factor (step, exponential)
     * @param warmupSteps linear warm-up steps (cosine)
     * @param minLr the final rate (cosine)
     * @param pctStart share of steps spent rising (one_cycle, default 0.3)
     * @param divFactor initial rate = lr / divFactor (one_cycle, default 25)
     * @param finalDivFactor final rate = initial / finalDivFactor (one_cycle, default 1e4)
     */
    public record ScheduleSection(String type, Integer stepSize, Double gamma, Integer warmupSteps, Double minLr,
            Double pctStart, Double divFactor, Double finalDivFactor) {}

    /**
     * Penalties.
     *
     * @param l1 λ·Σ|w|
     * @param l2 λ/2·Σw²
     * @param l2spAlpha α/2·Σ(w − w⁰)² on transferred weights
     * @param l2spBeta β/2·Σw² on new weights
     * @param lwf λ of Learning without Forgetting: the source head's outputs on target images are
     *     distilled from the source model (needs {@code retention})
     * @param lwfTemperature its temperature (default 2)
     * @param ewc λ of elastic weight consolidation: Σ λ/2·F·(w − w⁰)² with the source task's
     *     Fisher information F (needs {@code retention})
     */
    public record RegularizationSection(Double l1, Double l2, Double l2spAlpha, Double l2spBeta, Double lwf,
            Double lwfTemperature, Double ewc) {}

    /**
     * Augmentation.
     *
     * @param cropPadding random crop after zero padding
     * @param flip random horizontal flips
     * @param rotation maximum rotation in degrees
     * @param mixup mixup α
     * @param cutmix CutMix α
     */
    public record AugmentSection(Integer cropPadding, Boolean flip, Double rotation, Double mixup, Double cutmix) {}

    /**
     * Early stopping.
     *
     * @param metric accuracy, macro_f1, micro_f1 or loss; for a regression rmse (its default), mae, r2
     *     or loss
     * @param patience epochs without improvement
     * @param restoreBest restore the best epoch's weights (default true)
     */
    public record EarlyStoppingSection(String metric, Integer patience, Boolean restoreBest) {}

    /**
     * A strategy: a built-in name, or a definition.
     *
     * @param name its name in tables
     * @param base the built-in it starts from (default: {@code full})
     * @param plan a plan file that replaces the built-in's plan
     * @param layers for {@code partial}: how many top layer groups fine-tune (default 2)
     * @param train overrides of the experiment's training configuration
     * @param trials for search strategies (genetic, annealing, tpe, reinforce, nsga2, random, grid): the budget of
     *     trials per run (default 8)
     * @param distill for {@code base: distill}: knowledge distillation from a teacher
     * @param ensemble for {@code base: ensemble}: the members and the vote
     * @param reptile for {@code base: reptile}: meta-learning the initialization on the source task
     * @param dann for {@code base: dann}: domain-adversarial training toward an unlabelled target domain
     * @param head a classical head (logistic regression, linear SVM, random forest, kNN) fitted on the
     *     frozen trunk's features instead of the network's own head
     * @param contrastive for {@code base: contrastive}: SetFit's contrastive fine-tuning of the encoder
     *     before its classical head is fitted
     */
    public record StrategySpec(String name, String base, String plan, Integer layers, TrainSection train,
            Integer trials, DistillSection distill, EnsembleSection ensemble, ReptileSection reptile,
            DannSection dann, HeadSection head, ContrastiveSection contrastive) {

        /** A built-in strategy by name, as written in a list of strings. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static StrategySpec named(String name) {
            return of(name, name, null, null);
        }

        /** A fine-tuning strategy: a built-in base with its own plan or number of layers. */
        public static StrategySpec of(String name, String base, String plan, Integer layers) {
            return new StrategySpec(name, base, plan, layers, null, null, null, null, null, null, null, null);
        }

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public StrategySpec {
        }
    }

    /**
     * Knowledge distillation (Hinton et al. 2015): a student learns from a teacher's softened
     * predictions, T²·KL(teacher ‖ student) at temperature T, mixed with the labels' cross-entropy.
     *
     * @param teacher where the teacher comes from
     * @param student the student's model spec (default: the experiment's model); it starts afresh
     * @param temperature T (default 2)
     * @param alpha the distillation term's share of the loss; the labels get 1 − α (default 0.5; 0 trains
     *     the student on the labels alone, the baseline)
     * @param hard use the teacher's argmax as labels instead of its soft predictions (default false)
     * @param unlabelled also distill on the target pool's images that are neither shots nor
     *     validation, labels unused (default true)
     * @param thenFinetune distill first (labels unused), then fine-tune the student on the labels
     *     (default false)
     */
    public record DistillSection(TeacherSection teacher, String student, Double temperature, Double alpha,
            Boolean hard, Boolean unlabelled, Boolean thenFinetune) {}

    /**
     * A distillation teacher: a checkpoint with its spec, or a strategy fine-tuned on the same
     * shots first (for example the source model fine-tuned on the target).
     *
     * @param model the teacher's spec (default: the experiment's model)
     * @param checkpoint the teacher's weights
     * @param strategy or: the strategy that makes the teacher from the source (default full)
     */
    public record TeacherSection(String model, String checkpoint, String strategy) {}

    /**
     * An ensemble: several transferred models whose test predictions are combined.
     *
     * @param members the strategies whose models vote (built-in or defined in this experiment), or
     * @param search a search strategy's sampler (genetic, annealing, ...) whose best policies vote
     * @param top with {@code search}: how many of its best policies (default 3)
     * @param trials with {@code search}: its budget of trials per run (default 8)
     * @param vote {@code average} (of probabilities; the default) or {@code majority}
     */
    public record EnsembleSection(List<String> members, String search, Integer top, Integer trials, String vote) {}

    /**
     * Reptile meta-learning (Nichol et al. 2018): an initialization meta-trained on N-way K-shot
     * tasks of the source classes, then fine-tuned on the target like {@code then}.
     *
     * @param data the source task's data (default: {@code source.pretrain.data})
     * @param iterations meta-iterations (default 300)
     * @param innerSteps Adam steps per task (default 5)
     * @param innerLr their learning rate (default 0.003)
     * @param metaStep the meta step ε, falling linearly to 0 (default 1.0)
     * @param shots images per class of each task (default 5)
     * @param then the strategy that fine-tunes from the meta-learned weights (default full)
     */
    public record ReptileSection(DataSection data, Integer iterations, Integer innerSteps, Double innerLr,
            Double metaStep, Integer shots, String then) {}

    /**
     * Domain-adversarial training (DANN, Ganin et al. 2016): fine-tuning like {@code then}, while
     * a domain classifier behind a gradient reversal layer is trained to tell the labelled images
     * from unlabelled images of the target domain.
     *
     * @param target the target domain's images (a data section; labels are never read)
     * @param layer the layer whose input the domain classifier reads (default: the first linear layer,
     *     whose input is the trunk's features)
     * @param hidden the domain classifier's hidden units (default 64)
     * @param then the fine-tuning strategy (default full)
     */
    public record DannSection(DataSection target, String layer, Integer hidden, String then) {}
}
