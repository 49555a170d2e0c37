package dev.graft.transfer;

import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.TensorInfo;
import dev.graft.checkpoint.WeightStore;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.model.ParamRole;
import dev.graft.model.SharedUnits;
import dev.graft.model.UnitLayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;

/**
 * Applies a {@link TransferPlan} to a source checkpoint and a target model layout. Pure Java and
 * deterministic: the same inputs give the same tensors, bit for bit.
 *
 * <p>Strict by default: a target tensor with neither a source nor an explicit reinit rule, or a
 * shape that does not fit, is an error. With {@code allowMissing} such tensors keep the target's
 * initializer and the report says so. Stateless and thread-safe.
 */
public final class Transferor {
    private Transferor() {}

    /** How a target tensor was resolved to a source. */
    private record Resolution(ParamInfo target, Optional<TransferRule> rule, int ruleIndex,
            Optional<String> source) {
        Transform transform() {
            return rule.map(TransferRule::transform).orElse(new Transform.Copy());
        }

        Mode mode() {
            return rule.map(TransferRule::mode).orElse(new Mode.FineTune(1));
        }

        String origin() {
            return rule.isPresent() ? "rule " + (ruleIndex + 1) : "auto";
        }
    }

    /**
     * Transfers {@code source} into a model of {@code target}'s layout under {@code plan}.
     *
     * @throws TransferException if the plan cannot be applied (the message names the tensor)
     */
    public static TransferResult apply(WeightStore source, ModelLayout target, TransferPlan plan,
            boolean allowMissing) {
        Map<String, Resolution> resolved = resolve(source, target, plan, allowMissing);
        HeadRules heads = HeadRules.of(source, target, plan,
                n -> Optional.ofNullable(resolved.get(n)).flatMap(Resolution::source));
        Map<String, UnitMapping> mappings = new HashMap<>(unitMappings(source, target, plan, resolved));
        // heads are named by their module (encoder.layer.3.attention.self), never a unit layer's name
        mappings.putAll(heads.mappings());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Mode> modes = new LinkedHashMap<>();
        Map<String, UnitMask> frozenUnits = new LinkedHashMap<>();
        List<TransferReport.Row> rows = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (ParamInfo p : target.params()) {
            Resolution r = resolved.get(p.name());
            r.source().ifPresent(used::add);
            Built b = build(source, target, plan, r, mappings, heads, allowMissing);
            tensors.put(p.name(), b.tensor);
            modes.put(p.name(), b.mode);
            b.frozenUnits.ifPresent(m -> frozenUnits.put(p.name(), m));
            rows.add(b.row);
        }
        List<String> unused = source.names().stream().filter(n -> !used.contains(n)).toList();
        return new TransferResult(tensors, new TransferReport(rows, unused), modes, frozenUnits);
    }

    private static Map<String, Resolution> resolve(WeightStore source, ModelLayout target,
            TransferPlan plan, boolean allowMissing) {
        Map<String, Resolution> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (ParamInfo p : target.params()) {
            Resolution res = null;
            for (int i = 0; i < plan.rules().size() && res == null; i++) {
                TransferRule rule = plan.rules().get(i);
                Optional<Matcher> m = rule.matchTensor(p.name());
                if (m.isEmpty()) {
                    continue;
                }
                if (rule.mode() instanceof Mode.Reinit) {
                    res = new Resolution(p, Optional.of(rule), i, Optional.empty());
                    continue;
                }
                String srcName = rule.source().map(t -> TensorMatch.rename(m.get(), t)).orElse(p.name());
                if (!source.contains(srcName)) {
                    if (!allowMissing && !fillable(p)) {
                        throw new TransferException("rule " + (i + 1) + " (" + rule.match() + "): the source has no tensor '"
                                + srcName + "' for target '" + p.name() + "'");
                    }
                    res = new Resolution(p, Optional.of(rule), i, Optional.empty());
                } else {
                    res = new Resolution(p, Optional.of(rule), i, Optional.of(srcName));
                }
            }
            if (res == null) {
                boolean found = plan.autoMatch() && source.contains(p.name());
                res = new Resolution(p, Optional.empty(), -1, found ? Optional.of(p.name()) : Optional.empty());
                if (!found && !fillable(p)) {
                    missing.add(p.name());
                }
            }
            out.put(p.name(), res);
        }
        if (!missing.isEmpty() && !allowMissing && source.names().isEmpty()) {
            throw new TransferException("there is no source to transfer from, but " + missing.size()
                    + " target tensor(s) would take their values from one: " + abbreviate(missing)
                    + " (name a source checkpoint, or re-initialize every tensor, as the scratch strategy does)");
        }
        if (!missing.isEmpty() && !allowMissing) {
            throw new TransferException(missing.size() + " target tensor(s) have no source tensor and no reinit rule: "
                    + abbreviate(missing) + " (add rules that rename or re-initialize them; graft plan and transfer take --allow-missing to keep "
                    + "their initializer)");
        }
        return out;
    }

    /**
     * The target tensors that {@code plan} would fill from a source: those whose first matching
     * rule does not re-initialize them, and unmatched ones under automatic matching. Empty means the
     * plan trains from scratch and needs no source.
     */
    public static List<String> tensorsNeedingSource(ModelLayout target, TransferPlan plan) {
        List<String> out = new ArrayList<>();
        for (ParamInfo p : target.params()) {
            Optional<TransferRule> first = plan.rules().stream().filter(r -> r.matchTensor(p.name()).isPresent())
                    .findFirst();
            boolean reinit = first.isPresent() && first.get().mode() instanceof Mode.Reinit;
            if (!reinit && !fillable(p) && (first.isPresent() || plan.autoMatch())) {
                out.add(p.name());
            }
        }
        return out;
    }

    /**
     * Whether a target tensor may be absent from the source and filled instead. Only BatchNorm's
     * {@code num_batches_tracked}: many real checkpoints (older PyTorch, converters) lack it, and
     * PyTorch's strict {@code load_state_dict} starts it at 0 then. Everything else stays strict.
     */
    private static boolean fillable(ParamInfo p) {
        return p.role() == ParamRole.NUM_BATCHES_TRACKED;
    }

    /**
     * Whether {@code p} is the weight of a convolution that reads the network's input, and the
     * source's weight {@code src} differs from it only in input channels (dimension 1).
     */
    private static boolean readsInputChannels(ModelLayout target, ParamInfo p, Dims src) {
        if (p.role() != ParamRole.WEIGHT || !target.inputLayers().contains(p.layer()) || p.dims().rank() < 3
                || src.rank() != p.dims().rank() || src.get(1) == p.dims().get(1)) {
            return false;
        }
        for (int i = 0; i < src.rank(); i++) {
            if (i != 1 && src.get(i) != p.dims().get(i)) {
                return false;
            }
        }
        return true;
    }

    /** Unit mappings of layers whose weight rule selects or widens units. */
    private static Map<String, UnitMapping> unitMappings(WeightStore source, ModelLayout target, TransferPlan plan,
            Map<String, Resolution> resolved) {
        Map<String, UnitMapping> out = new HashMap<>();
        for (UnitLayer u : target.units().values()) {
            Resolution r = resolved.get(u.layer() + ".weight");
            Transform t = r.transform();
            boolean select = t instanceof Transform.SelectUnits;
            boolean widen = t instanceof Transform.Net2Wider;
            if (!(select || widen) || r.source().isEmpty()) {
                continue;
            }
            u.surgeryObstacle().ifPresent(why -> {
                throw new TransferException(t.keyword() + " on " + u.layer() + " is not possible: " + why);
            });
            TensorInfo src = source.info(r.source().get());
            int srcUnits = (int) src.dims().get(0);
            if (select && u.units() > srcUnits) {
                throw new TransferException("select_units on " + u.layer() + ": the target has " + u.units()
                        + " units but the source only " + srcUnits + "; use net2wider to widen");
            }
            if (widen && u.units() < srcUnits) {
                throw new TransferException("net2wider on " + u.layer() + ": the target has " + u.units()
                        + " units, fewer than the source's " + srcUnits + "; use select_units to narrow");
            }
            UnitMapping m = select
                    ? UnitMapping.selectByL1(values(source.read(r.source().get())), u.units())
                    : UnitMapping.widen(srcUnits, u.units(),
                            new SplittableRandom(plan.seed() * 31 + u.layer().hashCode()));
            out.put(u.layer(), m);
        }
        return out;
    }

    private record Built(Tensor tensor, Mode mode, Optional<UnitMask> frozenUnits, TransferReport.Row row) {}

    private static Built build(WeightStore source, ModelLayout target, TransferPlan plan, Resolution r,
            Map<String, UnitMapping> mappings, HeadRules heads, boolean allowMissing) {
        ParamInfo p = r.target();
        Mode mode = r.mode();
        long total = p.dims().count();
        if (mode instanceof Mode.Reinit re) {
            Tensor t = tensorOf(p, re.initializer().values(p, plan.seed()));
            return new Built(t, mode, Optional.empty(), row(p, r, Optional.empty(), "reinit " + re.initializer().describe(p),
                    0, mode, 0));
        }
        float[] init = Initializer.DEFAULT.values(p, plan.seed());
        if (r.source().isEmpty() && fillable(p)) {
            return new Built(tensorOf(p, init), mode, Optional.empty(),
                    new TransferReport.Row(p.name(), p.dims(), Optional.empty(), Optional.empty(),
                            "none: counter started at 0, as PyTorch's load_state_dict does", 0, total,
                            mode.keyword(), mode.lrMultiplier(), 0, "filled"));
        }
        if (r.source().isEmpty()) {
            return new Built(tensorOf(p, init), new Mode.FineTune(1), Optional.empty(),
                    new TransferReport.Row(p.name(), p.dims(), Optional.empty(), Optional.empty(),
                            "none: kept initializer (missing)", 0, total, "finetune", 1, 0, "missing"));
        }
        String srcName = r.source().get();
        Tensor src = source.read(srcName);
        List<String> steps = new ArrayList<>();
        Values v = values(src);
        String problem = null;
        List<String> producers = target.producers().getOrDefault(p.layer(), List.of());
        if (p.role() == ParamRole.WEIGHT && producers.stream().anyMatch(mappings::containsKey)) {
            if (producers.size() != 1) {
                problem = "its input columns come from several layers (" + String.join(", ", producers) + ")";
            } else {
                String producer = producers.get(0);
                UnitMapping m = mappings.get(producer);
                int block = target.edge(producer, p.layer()).orElseThrow().block();
                if (v.dims().rank() < 2 || v.dims().get(1) != (long) m.sourceUnits() * block) {
                    problem = "its input columns cannot follow " + producer + " (source shape " + v.dims() + ")";
                } else {
                    v = v.gatherColumns(m.sourceUnit(), block, m.columnScale());
                    steps.add("inputs follow " + producer);
                }
            }
        }
        Optional<UnitLayer> owner = target.rowOwner(p);
        if (problem == null && owner.isPresent() && mappings.containsKey(owner.get().layer())) {
            UnitMapping m = mappings.get(owner.get().layer());
            if (v.dims().rank() < 1 || v.dims().get(0) != m.sourceUnits()) {
                problem = "its rows cannot follow " + owner.get().layer() + " (source shape " + v.dims() + ")";
            } else {
                v = v.gatherRows(m.sourceUnit());
                steps.add(owner.get().layer().equals(p.layer()) ? m.description() : "rows follow " + owner.get().layer());
            }
        }
        Optional<SharedUnits> shared = target.sharedOwner(p);
        if (problem == null && shared.isPresent() && mappings.containsKey(shared.get().layer())) {
            // a head's block of query/key/value rows moves whole
            UnitMapping m = mappings.get(shared.get().layer());
            int rows = shared.get().rows();
            if (v.dims().rank() < 1 || v.dims().get(0) != (long) m.sourceUnits() * rows) {
                problem = "its rows cannot follow the " + shared.get().noun() + "s of " + shared.get().layer()
                        + " (source shape " + v.dims() + ")";
            } else {
                v = v.gatherRowBlocks(m.sourceUnit(), rows);
                steps.add(m.description());
            }
        }
        boolean[] copied = new boolean[(int) total];
        Values base = new Values(p.dims(), init);
        Transform t = r.transform();
        if (problem == null) {
            if (t instanceof Transform.SlicePad) {
                v = v.overlapInto(base, copied);
                steps.add("slice_pad " + src.dims() + "->" + p.dims());
            } else {
                if (t instanceof Transform.AdaptInputChannels a) {
                    if (v.dims().rank() < 2 || p.dims().rank() != v.dims().rank()) {
                        problem = "adapt_input_channels needs weights of the same rank >= 2";
                    } else {
                        long from = v.dims().get(1);
                        v = v.adaptChannels((int) p.dims().get(1), a.mode());
                        steps.add("adapt_input_channels " + a.mode().keyword() + " " + from + "->" + p.dims().get(1));
                    }
                } else if (t instanceof Transform.Copy && readsInputChannels(target, p, v.dims())) {
                    // a grey task on an RGB source (or the reverse) is the common case, not an
                    // error: the stem is adapted as timm's adapt_input_conv does, and the report says so
                    long from = v.dims().get(1);
                    v = v.adaptChannels((int) p.dims().get(1), Transform.AdaptInputChannels.Mode.AUTO);
                    steps.add("adapt_input_channels auto " + from + "->" + p.dims().get(1) + " (input layer)");
                }
                if (problem == null && !v.dims().equals(p.dims())) {
                    problem = "shape " + p.dims() + " differs from source '" + srcName + "' " + src.dims()
                            + (steps.isEmpty() ? "" : " (after " + String.join(", ", steps) + ": " + v.dims() + ")")
                            + "; use slice_pad, select_units, net2wider or adapt_input_channels, or reinit";
                }
                if (problem == null) {
                    java.util.Arrays.fill(copied, true);
                }
            }
        }
        if (problem != null) {
            if (!allowMissing) {
                throw new TransferException("target '" + p.name() + "' (" + r.origin() + "): " + problem);
            }
            return new Built(tensorOf(p, init), new Mode.FineTune(1), Optional.empty(),
                    new TransferReport.Row(p.name(), p.dims(), Optional.of(srcName), Optional.of(src.dims()),
                            "none: kept initializer (" + problem.split(";")[0] + ")", 0, total, "finetune", 1, 0,
                            r.origin()));
        }
        if (steps.isEmpty() || (t instanceof Transform.Copy && steps.stream().allMatch(s -> s.contains("follow")))) {
            steps.add(0, t.keyword());
        }
        float[] data = v.data();
        Optional<UnitMask> own = r.rule().flatMap(TransferRule::units);
        Optional<HeadRules.Masked> headMask = heads.maskOn(target, p);
        if (own.isPresent() && headMask.isPresent()) {
            throw new TransferException("target '" + p.name() + "' (" + r.origin() + "): its units are masked by its"
                    + " rule and its heads by rule " + (headMask.get().rule() + 1) + "; give one of them");
        }
        Optional<UnitMask> frozen = Optional.empty();
        long frozenElements = mode instanceof Mode.Frozen ? total : 0;
        Optional<UnitMask> units = own.or(() -> headMask.map(HeadRules.Masked::mask));
        if (units.isPresent()) {
            UnitMask mask = units.get();
            int n = mask.unitsIn(p.dims());
            if (!mask.units().isEmpty() && mask.units().get(mask.units().size() - 1) >= n) {
                throw new TransferException("target '" + p.name() + "' (" + r.origin() + "): unit "
                        + mask.units().get(mask.units().size() - 1) + " is out of range (" + n + " units)");
            }
            boolean[] covered = mask.covers(p.dims());
            if (mask.action() != UnitMask.Action.FREEZE) {
                for (int i = 0; i < covered.length; i++) {
                    if (!covered[i]) {
                        data[i] = init[i];
                        copied[i] = false;
                    }
                }
                steps.add(headMask.map(h -> h.describe(false)).orElse("units " + mask.units().size() + "/" + n));
            }
            // a tensor frozen whole needs no mask: every element is already held
            if (mask.action() != UnitMask.Action.TRANSFER && !(mode instanceof Mode.Frozen)) {
                frozen = Optional.of(mask);
                frozenElements = 0;
                for (boolean c : covered) {
                    frozenElements += c ? 1 : 0;
                }
                steps.add(headMask.map(h -> h.describe(true)).orElse("freeze units " + mask.units().size() + "/" + n));
            }
        }
        long transferred = 0;
        for (boolean c : copied) {
            transferred += c ? 1 : 0;
        }
        Tensor out = p.role() == ParamRole.NUM_BATCHES_TRACKED
                ? Tensor.ofLongs(p.dims(), new long[] {src.dims().count() == 1 ? longValue(src) : 0})
                : tensorOf(p, data);
        return new Built(out, mode, frozen, row(p, r, Optional.of(src), String.join(", ", steps), transferred, mode,
                frozenElements));
    }

    private static TransferReport.Row row(ParamInfo p, Resolution r, Optional<Tensor> src, String transform,
            long transferred, Mode mode, long frozen) {
        return new TransferReport.Row(p.name(), p.dims(), r.source(), src.map(Tensor::dims), transform, transferred,
                p.dims().count(), mode.keyword(), mode.lrMultiplier(), frozen, r.origin());
    }

    private static long longValue(Tensor t) {
        return switch (t.dtype()) {
            case I64 -> t.data().getLong(0);
            case I32 -> t.data().getInt(0);
            default -> (long) t.toFloats()[0];
        };
    }

    private static Values values(Tensor t) {
        return new Values(t.dims(), t.toFloats());
    }

    private static Tensor tensorOf(ParamInfo p, float[] data) {
        if (p.role() == ParamRole.NUM_BATCHES_TRACKED) {
            return Tensor.ofLongs(p.dims(), new long[] {0});
        }
        return Tensor.ofFloats(p.dims(), data);
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 4 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 4)) + " and " + (names.size() - 4) + " more";
    }
}
