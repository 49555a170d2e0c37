package dev.graft.model;

import dev.graft.checkpoint.Dims;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A target network: its per-sample input shape and its layers, whose parameter names and
 * layouts are those of the PyTorch module the spec mirrors.
 *
 * @param name a label for reports
 * @param source the file (or label) the spec was read from, for error messages
 * @param input the shape of one sample, without the batch dimension ({@code [C, H, W]} or {@code [F]})
 * @param root the top-level layers; their names start every parameter name
 * @param head the classifier layer's full name as the spec names it ({@code head:}), like timm's
 *     {@code default_cfg['classifier']}; see {@link ModelLayout#head()} for when it may be left out
 */
public record ModelSpec(String name, String source, Dims input, SequentialLayer root, Optional<String> head) {

    /** A spec that does not name its head. */
    public ModelSpec(String name, String source, Dims input, SequentialLayer root) {
        this(name, source, input, root, Optional.empty());
    }

    /**
     * This spec with every dropout probability set to {@code p}: dropout layers', and those a layer
     * applies inside itself (a BERT layer's hidden and attention dropout). Names and shapes unchanged.
     */
    public ModelSpec withDropout(double p) {
        if (p < 0 || p >= 1) {
            throw new SpecException(source + ": dropout must be in [0, 1), got " + p);
        }
        return new ModelSpec(name, source, input, (SequentialLayer) rewrite(root, "",
                (path, l) -> l.withDropout(p)), head);
    }

    /**
     * This spec with the linear layer {@code layer} (its full name, such as {@code classifier.4})
     * producing {@code out} units: the same network with another task's head.
     *
     * @throws SpecException if there is no linear layer of that name
     */
    public ModelSpec withLinearOut(String layer, int out) {
        boolean[] found = {false};
        SequentialLayer r = (SequentialLayer) rewrite(root, "", (path, l) -> {
            if (path.equals(layer) && l instanceof LinearLayer lin) {
                found[0] = true;
                return new LinearLayer(lin.name(), out, lin.bias());
            }
            return l;
        });
        if (!found[0]) {
            throw new SpecException(source + ": no linear layer named '" + layer + "'");
        }
        return new ModelSpec(name, source, input, r, head);
    }

    /** Rewrites every leaf layer (a layer without children) with {@code leaf}, given its full name. */
    private static LayerSpec rewrite(LayerSpec l, String path, BiFunction<String, LayerSpec, LayerSpec> leaf) {
        if (l.children().isEmpty()) {
            return leaf.apply(path, l);
        }
        return l.withChildren(l.children().stream().map(x -> rewrite(x, LayerSpec.join(path, x.name()), leaf)).toList());
    }
}
