package dev.graft.retention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.graft.engine.Scalars;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.EngineTensors;
import dev.graft.model.GraftModel;
import dev.graft.train.LossTerm;

/**
 * Learning without Forgetting (Li and Hoiem 2016): while the target trains, the source head,
 * reading the shared trunk, is held to what the source model answered for the same (augmented)
 * target images: λ · H(softmax(y₀/T), softmax(ŷ₀/T)), mean over the batch, where y₀ are the
 * source model's logits and ŷ₀ the source head's on the current trunk. The paper's T is 2. Here
 * the source head stays fixed (the paper also trains it), so the term constrains only the trunk.
 *
 * <p>Both sides are computed in inference mode (BatchNorm on its running statistics, no dropout),
 * in a second forward pass of the trunk: the term then measures how far the function the source
 * head reads has moved, and has zero gradient before the first step. A training-mode student
 * against an inference-mode teacher would instead push the trunk to make batch statistics and
 * dropout imitate running statistics, which is not what the source task needs.
 */
public final class LearningWithoutForgetting implements LossTerm {
    private final SourceTask task;
    private final double lambda;
    private final double temperature;
    private GraftModel.Tap tap;
    private GraftModel source;
    private ParameterStore sourceStore;
    private ParameterStore studentStore;
    private NDArray headWeightT;
    private NDArray headBias;

    public LearningWithoutForgetting(SourceTask task, double lambda, double temperature) {
        if (!(lambda > 0) || !(temperature > 0)) {
            throw new IllegalArgumentException("LwF needs a positive weight and temperature");
        }
        this.task = task;
        this.lambda = lambda;
        this.temperature = temperature;
    }

    @Override
    public void start(GraftModel model, NDManager run) {
        tap = model.tapInput(task.head());
        source = GraftModel.build(task.sourceLayout(), run);
        source.load(task.sourceState());
        sourceStore = new ParameterStore(run, false);
        studentStore = new ParameterStore(run, false);
        Tensor w = task.headTensors().get(task.head() + ".weight");
        headWeightT = EngineTensors.toNDArray(run, w).transpose();
        Tensor b = task.headTensors().get(task.head() + ".bias");
        headBias = b == null ? null : EngineTensors.toNDArray(run, b);
    }

    @Override
    public NDArray loss(GraftModel model, NDArray x, NDArray targetLogits) {
        NDArray teacher = source.block().forward(sourceStore, new NDList(x), false).singletonOrThrow()
                .stopGradient();
        model.block().forward(studentStore, new NDList(x), false);
        NDArray features = tap.input();
        NDArray logits = features.reshape(features.getShape().get(0), -1).matMul(headWeightT);
        if (headBias != null) {
            logits = logits.add(headBias);
        }
        NDArray term = term(teacher, logits, temperature);
        return term.mul(Scalars.of(term, lambda));
    }

    /** H(softmax(teacher/T), softmax(student/T)), mean over the batch. */
    static NDArray term(NDArray teacher, NDArray student, double temperature) {
        NDArray p = teacher.mul((float) (1 / temperature)).softmax(1);
        // the student's constant is kept for its backward pass (see Scalars)
        NDArray logq = student.mul(Scalars.of(student, (float) (1 / temperature))).logSoftmax(1);
        return p.mul(logq).sum(new int[] {1}).mean().neg();
    }

    @Override
    public void finish() {
        if (source != null) {
            source.close();
            source = null;
        }
    }
}
