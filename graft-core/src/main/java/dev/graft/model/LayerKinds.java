package dev.graft.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry of layer kinds: keyword to {@link LayerKind}. The only place that lists them; the
 * spec parser, the YAML reference and the contract test all read it. Immutable and thread-safe.
 */
public final class LayerKinds {
    private static final Map<String, LayerKind> KINDS = register();

    private LayerKinds() {}

    private static Map<String, LayerKind> register() {
        List<LayerKind> all = new ArrayList<>();
        all.add(LinearLayer.KIND);
        all.add(Conv2dLayer.KIND);
        all.add(Conv1dLayer.KIND);
        all.add(BatchNormLayer.KIND_1D);
        all.add(BatchNormLayer.KIND_2D);
        all.add(LayerNormLayer.KIND);
        all.addAll(ActivationLayer.KINDS);
        all.add(LeakyReluLayer.KIND);
        all.add(Pool2dLayer.MAX);
        all.add(Pool2dLayer.AVG);
        all.add(GlobalAvgPoolLayer.KIND);
        all.add(AdaptiveAvgPool2dLayer.KIND);
        all.add(FlattenLayer.KIND);
        all.add(DropoutLayer.KIND);
        all.add(SequentialLayer.KIND);
        all.add(ResidualLayer.KIND);
        all.add(ConcatLayer.KIND);
        all.add(SqueezeExcitationLayer.KIND);
        all.add(DenseConcatLayer.KIND);
        all.add(StochasticDepthLayer.KIND);
        all.add(BertEmbeddingsLayer.KIND);
        all.add(BertLayer.KIND);
        all.add(TokenPoolLayer.KIND);
        all.add(BertPoolerLayer.KIND);
        Map<String, LayerKind> out = new LinkedHashMap<>();
        for (LayerKind k : all) {
            if (out.put(k.keyword(), k) != null) {
                throw new IllegalStateException("two layer kinds are registered as '" + k.keyword() + "'");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Every registered kind, in registration order. */
    public static List<LayerKind> all() {
        return List.copyOf(KINDS.values());
    }

    /** The kind of a keyword, if registered. */
    public static Optional<LayerKind> get(String keyword) {
        return Optional.ofNullable(KINDS.get(keyword));
    }

    /** The registered keywords, sorted. */
    public static List<String> keywords() {
        return List.copyOf(new TreeMap<>(KINDS).keySet());
    }

    /** Each keyword with its kind's own YAML keys, sorted by keyword. */
    public static Map<String, Set<String>> keys() {
        Map<String, Set<String>> out = new TreeMap<>();
        KINDS.forEach((k, v) -> out.put(k, v.keys()));
        return Collections.unmodifiableMap(out);
    }
}
