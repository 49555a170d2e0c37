package dev.graft.strategy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.graft.engine.Scalars;
import dev.graft.data.Examples;
import dev.graft.model.GraftModel;
import dev.graft.train.LossTerm;
import java.util.SplittableRandom;

/**
 * Domain-adversarial training (DANN, Ganin et al. 2016): a domain classifier reads the features
 * of a chosen layer through a gradient reversal layer and learns to tell labelled source-domain
 * images from unlabelled target-domain ones; the reversed gradient teaches the network features
 * it cannot tell apart. The reversal's weight follows the paper: λ = 2 / (1 + exp(−10 p)) − 1 at
 * training progress p. The domain classifier (one hidden layer of {@code hidden} ReLU units and
 * a logit) is this term's own and trains with plain SGD at the loop's learning rate × 10.
 */
public final class DomainAdversarial implements LossTerm {
    private final String featureLayer;
    private final RandomBatches target;
    private final int hidden;
    private final int totalSteps;
    private final SplittableRandom rnd;
    private GraftModel.Tap tap;
    private ParameterStore store;
    private NDManager run;
    private NDArray[] params;
    private int step;

    /**
     * @param featureLayer the layer whose input the domain classifier reads
     * @param target unlabelled target-domain images
     * @param totalSteps the run's optimizer steps, for λ's schedule
     */
    public DomainAdversarial(String featureLayer, Examples target, int hidden, int totalSteps, int batchSize, long seed) {
        this.featureLayer = featureLayer;
        this.rnd = new SplittableRandom(seed ^ 0xDA77L);
        this.target = new RandomBatches(target, batchSize, rnd.split());
        this.hidden = hidden;
        this.totalSteps = totalSteps;
    }

    /** The paper's schedule: 2 / (1 + exp(−10 p)) − 1 for progress p in [0, 1]. */
    public static double lambda(double progress) {
        return 2 / (1 + Math.exp(-10 * progress)) - 1;
    }

    /** Identity forward; the backward pass multiplies the gradient by −λ. */
    static NDArray reverseGradient(NDArray x, double lambda) {
        return x.mul(Scalars.of(x, (float) -lambda)).add(x.mul((float) (1 + lambda)).stopGradient());
    }

    @Override
    public void start(GraftModel model, NDManager run) {
        this.run = run;
        tap = model.tapInput(featureLayer);
        store = new ParameterStore(run, false);
        params = null;
        step = 0;
    }

    @Override
    public NDArray loss(GraftModel model, NDArray x, NDArray logits) {
        NDArray source = flat(tap.input());
        model.block().forward(store, new NDList(target.next(x.getManager())), true);
        NDArray targetFeatures = flat(tap.input());
        if (params == null) {
            init((int) source.getShape().get(1));
        }
        double lambda = lambda(Math.min(1, (double) step / Math.max(1, totalSteps)));
        NDArray features = reverseGradient(source.concat(targetFeatures, 0), lambda);
        NDArray h = features.matMul(params[0]).add(params[1]).clip(0, Float.MAX_VALUE);
        NDArray domainLogit = h.matMul(params[2]).add(params[3]).reshape(-1);
        long ns = source.getShape().get(0);
        long nt = targetFeatures.getShape().get(0);
        NDArray labels = x.getManager().zeros(new Shape(ns)).concat(x.getManager().ones(new Shape(nt)));
        // binary cross-entropy with logits, stable form: max(z, 0) − z·y + log(1 + exp(−|z|))
        NDArray bce = domainLogit.clip(0, Float.MAX_VALUE).sub(domainLogit.mul(labels))
                .add(domainLogit.abs().neg().exp().add(1).log());
        return bce.mean();
    }

    @Override
    public void afterStep(double lr) {
        step++;
        if (params == null) {
            return;
        }
        for (NDArray p : params) {
            NDArray g = p.getGradient();
            p.subi(g.mul((float) (10 * lr)));
            g.subi(g);
        }
    }

    private void init(int features) {
        float scale1 = (float) Math.sqrt(6.0 / (features + hidden));
        float scale2 = (float) Math.sqrt(6.0 / (hidden + 1));
        params = new NDArray[] {uniform(new Shape(features, hidden), scale1), run.zeros(new Shape(hidden)),
            uniform(new Shape(hidden, 1), scale2), run.zeros(new Shape(1))};
        for (NDArray p : params) {
            ai.djl.ndarray.NDScope.unregister(p);
            p.setRequiresGradient(true);
        }
    }

    private NDArray uniform(Shape shape, float scale) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return run.create(v, shape);
    }

    private static NDArray flat(NDArray a) {
        return a.reshape(a.getShape().get(0), -1);
    }


    @Override
    public void finish() {
        if (params != null) {
            for (NDArray p : params) {
                p.close();
            }
            params = null;
        }
    }
}
