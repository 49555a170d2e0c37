package dev.graft.retention;

import ai.djl.ndarray.NDManager;
import dev.graft.GraftInputException;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.WeightStore;
import dev.graft.data.Examples;
import dev.graft.engine.Engines;
import dev.graft.metrics.ClassificationMetrics;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.SpecException;
import dev.graft.train.Evaluator;
import dev.graft.transfer.TransferException;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.Transferor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source task beside the target one: the source model's head, and source images to measure
 * and protect it with. The target network with its head swapped for the source head is the
 * <em>source model</em>: loaded with the source checkpoint it is the model before any transfer;
 * loaded with a fine-tuned trunk and the source head it shows what fine-tuning did to the source
 * task. This needs the target's trunk to have the source's shapes (the head may differ).
 */
public final class SourceTask {
    private final String head;
    private final ModelLayout sourceLayout;
    private final Map<String, Tensor> sourceState;
    private final Map<String, Tensor> headTensors;
    private final Examples test;
    private final Examples validation;
    private final Examples fisherData;
    private ClassificationMetrics before;
    private Map<String, float[]> fisher;

    /**
     * @param head the target's head layer, whose source counterpart the source task reads out
     * @param target the target network
     * @param source the source checkpoint (with its head)
     * @param test source images to measure retention on (never used in training or search)
     * @param validation source images for search objectives
     * @param fisherData source images to estimate EWC's Fisher information on
     * @throws GraftInputException if the source has no such head, or the trunks differ in shape
     */
    public SourceTask(String head, ModelLayout target, WeightStore source, Examples test, Examples validation,
            Examples fisherData, String where) {
        this.head = head;
        this.test = test;
        this.validation = validation;
        this.fisherData = fisherData;
        ParamInfo weight = target.param(head + ".weight").orElseThrow(() -> new GraftInputException(where
                + ": the model has no layer '" + head + "' with a weight"));
        if (!source.contains(head + ".weight")) {
            throw new GraftInputException(where + ": the source checkpoint has no '" + head + ".weight' (its head)");
        }
        Tensor sourceHead = source.read(head + ".weight");
        int sourceClasses = (int) sourceHead.dims().get(0);
        if (sourceClasses != test.classes()) {
            throw new GraftInputException(where + ": the source head has " + sourceClasses + " outputs but the "
                    + "source data has " + test.classes() + " classes");
        }
        if (sourceHead.dims().rank() != 2 || sourceHead.dims().get(1) != weight.dims().get(1)) {
            throw new GraftInputException(where + ": the source head " + head + ".weight is " + sourceHead.dims()
                    + " but the target's " + head + " takes " + weight.dims().get(1) + " inputs");
        }
        try {
            this.sourceLayout = ModelLayout.of(target.spec().withLinearOut(head, sourceClasses));
            this.sourceState = Transferor.apply(source, sourceLayout, TransferPlan.automatic(), false).tensors();
        } catch (SpecException | TransferException e) {
            throw new GraftInputException(where + ": the source model must be the target network with the source "
                    + "head: " + e.getMessage());
        }
        this.headTensors = new LinkedHashMap<>();
        sourceState.forEach((name, t) -> {
            if (name.startsWith(head + ".")) {
                headTensors.put(name, t);
            }
        });
    }

    /** The target's head layer that the source head stands beside. */
    public String head() {
        return head;
    }

    /** The source head's tensors (weight, and bias if any), by their names. */
    public Map<String, Tensor> headTensors() {
        return headTensors;
    }

    /** The source model's state: the source checkpoint in the target network with the source head. */
    public Map<String, Tensor> sourceState() {
        return sourceState;
    }

    /** The source network (the target with the source head). */
    public ModelLayout sourceLayout() {
        return sourceLayout;
    }

    public Examples validation() {
        return validation;
    }

    public Examples fisherData() {
        return fisherData;
    }

    /** The source model on the source test images; computed once. */
    public synchronized ClassificationMetrics before() {
        if (before == null) {
            before = evaluate(sourceState, test);
        }
        return before;
    }

    /** A fine-tuned target's trunk with the source head, on the source test images. */
    public ClassificationMetrics after(Map<String, Tensor> fineTuned) {
        return evaluate(withSourceHead(fineTuned), test);
    }

    /** As {@link #after}, on the source validation images (for search objectives; never the test set). */
    public ClassificationMetrics onValidation(Map<String, Tensor> fineTuned) {
        return evaluate(withSourceHead(fineTuned), validation);
    }

    /** The diagonal Fisher information of the source model on the Fisher images; computed once. */
    public synchronized Map<String, float[]> fisher(int samples) {
        if (fisher == null) {
            fisher = Fisher.diagonal(sourceLayout, sourceState, fisherData, samples, head);
        }
        return fisher;
    }

    private Map<String, Tensor> withSourceHead(Map<String, Tensor> fineTuned) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (ParamInfo p : sourceLayout.params()) {
            Tensor t = headTensors.containsKey(p.name()) ? headTensors.get(p.name()) : fineTuned.get(p.name());
            if (t == null) {
                throw new IllegalStateException("the fine-tuned model has no " + p.name());
            }
            state.put(p.name(), t);
        }
        return state;
    }

    private ClassificationMetrics evaluate(Map<String, Tensor> state, Examples data) {
        try (NDManager m = Engines.pytorch().newBaseManager(); GraftModel model = GraftModel.build(sourceLayout, m)) {
            model.load(state);
            return Evaluator.evaluate(model, data, 256);
        }
    }
}
