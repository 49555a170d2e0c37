package dev.graft.search;

import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.WeightStore;
import dev.graft.model.LayerGroup;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.UnitLayer;
import dev.graft.train.OptimizerConfig;
import dev.graft.train.OptimizerKind;
import dev.graft.train.Regularization;
import dev.graft.train.TrainConfig;
import dev.graft.transfer.Initializer;
import dev.graft.transfer.Mode;
import dev.graft.transfer.TensorMatch;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferRule;
import dev.graft.transfer.Transform;
import dev.graft.transfer.UnitMask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The compact genome that search optimizes: per layer group of the model
 * ({@link ModelLayout#groups()}: a linear or convolution layer with the BatchNorm that follows it,
 * or a block such as a BERT encoder layer) a decision, an LR multiplier and the fraction of units
 * transferred; and global genes. It expands deterministically into a {@link TransferPlan} plus
 * training overrides, with a rule for every tensor of every group.
 *
 * @param layers the choice per layer group (by the group's name), in model order
 * @param baseLr the base learning rate
 * @param l2sp the L2-SP strength (α = β); 0 turns it off
 * @param optimizer the optimizer
 * @param epochs the training epochs
 */
public record TransferPolicy(Map<String, LayerChoice> layers, double baseLr, double l2sp, OptimizerKind optimizer,
        int epochs) {

    public TransferPolicy {
        layers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    /** What happens to a layer group. */
    public enum Decision { SCRATCH, FROZEN, FINETUNE }

    /**
     * One layer group's genes.
     *
     * @param decision scratch, frozen or fine-tuned
     * @param lrMultiplier its learning-rate multiplier (fine-tuned and scratch layers)
     * @param fraction the share of its units transferred, the most important (L1) first; taken of a
     *     group's one unit layer, so a block (no single unit layer) is transferred whole
     */
    public record LayerChoice(Decision decision, double lrMultiplier, double fraction) {}

    /** A plan and training configuration. */
    public record Expanded(TransferPlan plan, TrainConfig train) {}

    /** One short line, such as {@code F F T.50 S | lr 1e-03 l2sp 0 adam 20 ep}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (LayerChoice c : layers.values()) {
            sb.append(switch (c.decision()) {
                case SCRATCH -> "S";
                case FROZEN -> "F";
                case FINETUNE -> "T";
            });
            if (c.decision() != Decision.SCRATCH && c.fraction() < 1) {
                sb.append(String.format(Locale.ROOT, ".%02d", Math.round(c.fraction() * 100)));
            }
            boolean trains = c.decision() != Decision.FROZEN || c.fraction() < 1;
            if (trains && c.lrMultiplier() != 1) {
                sb.append(String.format(Locale.ROOT, "x%s", trim(c.lrMultiplier())));
            }
            sb.append(' ');
        }
        return sb.append(String.format(Locale.ROOT, "| lr %.0e l2sp %s %s %d ep", baseLr, trim(l2sp),
                optimizer.name().toLowerCase(Locale.ROOT), epochs)).toString();
    }

    /**
     * What {@link #summary()}'s notation means, in one line, with the layer groups its letters
     * stand for in order, e.g. {@code features.0 features.4 classifier.1 classifier.4}.
     */
    public static String legend(java.util.Collection<String> groups) {
        return "policy notation: one letter per layer group (" + String.join(" ", groups) + "): "
                + "S re-initialized (scratch), F transferred and frozen, T transferred and fine-tuned; "
                + ".50 = 50 % of its units transferred (the strongest by L1), the rest re-initialized; "
                + "x0.3 = its learning-rate multiplier; then the base LR, L2-SP strength, optimizer and epochs";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /**
     * The plan and training overrides for {@code layout}, taking the most important units from
     * {@code source} when a fraction is below 1.
     */
    public Expanded expand(ModelLayout layout, WeightStore source, TrainConfig base, long seed) {
        List<TransferRule> rules = new ArrayList<>();
        for (Map.Entry<String, LayerChoice> e : layers.entrySet()) {
            LayerGroup group = layout.group(e.getKey()).orElseThrow(
                    () -> new IllegalArgumentException("no layer group '" + e.getKey() + "' in the model"));
            LayerChoice c = e.getValue();
            // a share of units is taken of the group's one unit layer; a block has none to take it of
            Optional<UnitLayer> unit = group.unitLayer().map(layout.units()::get);
            Optional<UnitMask> mask = c.decision() == Decision.SCRATCH || c.fraction() >= 1 || unit.isEmpty()
                    ? Optional.empty() : importantUnits(source, unit.get(), c);
            for (String name : group.tensors()) {
                ParamInfo p = layout.param(name).orElseThrow();
                Mode mode = switch (c.decision()) {
                    case SCRATCH -> new Mode.Reinit(Initializer.DEFAULT);
                    case FROZEN -> mask.isPresent() ? new Mode.FineTune(c.lrMultiplier()) : new Mode.Frozen();
                    case FINETUNE -> new Mode.FineTune(c.lrMultiplier());
                };
                // the mask indexes the unit layer's rows: its own tensors and its BatchNorm's (not
                // num_batches_tracked, nor a tensor that only carried over into the group)
                boolean rows = layout.rowOwner(p).map(UnitLayer::layer).equals(unit.map(UnitLayer::layer));
                Optional<UnitMask> tensorMask = !rows ? Optional.empty()
                        : mask.map(m -> new UnitMask(m.units(), c.decision() == Decision.FROZEN
                                ? UnitMask.Action.TRANSFER_FREEZE : UnitMask.Action.TRANSFER));
                rules.add(new TransferRule(TensorMatch.regex(Pattern.quote(p.name())), Optional.empty(),
                        new Transform.Copy(), mode, tensorMask));
            }
        }
        TransferPlan plan = new TransferPlan(rules, true, seed);
        OptimizerConfig opt = OptimizerConfig.defaults(optimizer, baseLr);
        Regularization r = base.regularization();
        TrainConfig train = base.withOptimizer(opt).withEpochs(epochs)
                .withRegularization(new Regularization(r.l1(), r.l2(), l2sp, l2sp, r.lwf(), r.lwfTemperature(), r.ewc()));
        return new Expanded(plan, train);
    }

    /** The round(fraction × units) source units of largest L1 norm, if the source has the layer's weight. */
    private static Optional<UnitMask> importantUnits(WeightStore source, UnitLayer unit, LayerChoice c) {
        String name = unit.layer() + ".weight";
        if (!source.contains(name) || source.info(name).dims().get(0) != unit.units()) {
            return Optional.empty();
        }
        Tensor w = source.read(name);
        float[] v = w.toFloats();
        int rows = unit.units();
        int rowSize = v.length / rows;
        double[] norm = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < rowSize; i++) {
                norm[r] += Math.abs(v[r * rowSize + i]);
            }
        }
        int k = Math.max(1, (int) Math.round(c.fraction() * rows));
        List<Integer> keep = IntStream.range(0, rows).boxed()
                .sorted(Comparator.<Integer>comparingDouble(r -> -norm[r]).thenComparingInt(r -> r)).limit(k)
                .sorted().toList();
        return Optional.of(new UnitMask(keep, UnitMask.Action.TRANSFER));
    }
}
