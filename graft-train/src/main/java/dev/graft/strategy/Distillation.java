package dev.graft.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.graft.engine.Scalars;
import dev.graft.checkpoint.Tensor;
import dev.graft.data.Examples;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.train.LossTerm;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The distillation term of a student's loss (Hinton et al. 2015): α · T² · KL(softmax(t/T) ‖
 * softmax(s/T)), mean over the batch, with teacher logits t and student logits s; the labels'
 * cross-entropy keeps weight 1 − α. T² keeps the gradient's scale independent of T. Hard
 * distillation uses α · CE(s, argmax t) instead. With unlabelled images, each step adds the term
 * on a batch of them too (their labels are never read). The teacher runs in inference mode.
 */
public final class Distillation implements LossTerm {
    private final ModelLayout teacherLayout;
    private final Map<String, Tensor> teacherState;
    private final double temperature;
    private final double alpha;
    private final boolean hard;
    private final RandomBatches unlabelled;
    private GraftModel teacher;
    private ParameterStore teacherStore;
    private ParameterStore studentStore;

    /**
     * @param unlabelled images to distill on as well, or null
     */
    public Distillation(ModelLayout teacherLayout, Map<String, Tensor> teacherState, double temperature, double alpha,
            boolean hard, Examples unlabelled, int batchSize, long seed) {
        if (!(temperature > 0) || !(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("distillation needs T > 0 and α in (0, 1]");
        }
        this.teacherLayout = teacherLayout;
        this.teacherState = teacherState;
        this.temperature = temperature;
        this.alpha = alpha;
        this.hard = hard;
        this.unlabelled = unlabelled == null || unlabelled.size() == 0 ? null
                : new RandomBatches(unlabelled, batchSize, new SplittableRandom(seed ^ 0x5DEECE66DL));
    }

    @Override
    public void start(GraftModel model, NDManager run) {
        teacher = GraftModel.build(teacherLayout, run);
        teacher.load(teacherState);
        teacherStore = new ParameterStore(run, false);
        studentStore = new ParameterStore(run, false);
    }

    @Override
    public double labelWeight() {
        return 1 - alpha;
    }

    @Override
    public NDArray loss(GraftModel model, NDArray x, NDArray logits) {
        NDArray term = term(teacherLogits(x), logits);
        if (unlabelled != null) {
            NDArray xu = unlabelled.next(x.getManager());
            NDArray su = model.block().forward(studentStore, new NDList(xu), true).singletonOrThrow();
            term = term.add(term(teacherLogits(xu), su));
        }
        return term.mul(Scalars.of(term, alpha));
    }

    private NDArray teacherLogits(NDArray x) {
        return teacher.block().forward(teacherStore, new NDList(x), false).singletonOrThrow().stopGradient();
    }

    /** The unweighted term for one batch: T²·KL, or the hard cross-entropy. */
    NDArray term(NDArray teacherLogits, NDArray studentLogits) {
        return hard ? hardTerm(teacherLogits, studentLogits) : softTerm(teacherLogits, studentLogits, temperature);
    }

    /** T² · KL(softmax(t/T) ‖ softmax(s/T)), mean over the batch. */
    static NDArray softTerm(NDArray t, NDArray s, double temperature) {
        NDArray logP = t.mul((float) (1 / temperature)).logSoftmax(1);
        // constants on the student's path are kept for its backward pass (see Scalars)
        NDArray logQ = s.mul(Scalars.of(s, (float) (1 / temperature))).logSoftmax(1);
        NDArray kl = logP.exp().mul(logP.sub(logQ)).sum(new int[] {1}).mean();
        return kl.mul(Scalars.of(kl, (float) (temperature * temperature)));
    }

    /** CE(s, argmax t), mean over the batch. */
    static NDArray hardTerm(NDArray t, NDArray s) {
        NDArray labels = t.argMax(1).oneHot((int) t.getShape().get(1)).toType(s.getDataType(), false);
        return labels.mul(s.logSoftmax(1)).sum(new int[] {1}).mean().neg();
    }


    @Override
    public void finish() {
        if (teacher != null) {
            teacher.close();
            teacher = null;
        }
    }
}
