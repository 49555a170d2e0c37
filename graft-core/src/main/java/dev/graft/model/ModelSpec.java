package dev.graft.model;

import dev.graft.checkpoint.Dims;

/**
 * A target network: its per-sample input shape and its layers, whose parameter names and
 * layouts are those of the PyTorch module the spec mirrors.
 *
 * @param name a label for reports
 * @param source the file (or label) the spec was read from, for error messages
 * @param input the shape of one sample, without the batch dimension ({@code [C, H, W]} or {@code [F]})
 * @param root the top-level layers; their names start every parameter name
 */
public record ModelSpec(String name, String source, Dims input, LayerSpec.Sequential root) {

    /** This spec with every dropout layer's probability set to {@code p} (names and shapes unchanged). */
    public ModelSpec withDropout(double p) {
        if (p < 0 || p >= 1) {
            throw new SpecException(source + ": dropout must be in [0, 1), got " + p);
        }
        return new ModelSpec(name, source, input, (LayerSpec.Sequential) rewrite(root, p));
    }

    private static LayerSpec rewrite(LayerSpec l, double p) {
        if (l instanceof LayerSpec.Dropout d) {
            return new LayerSpec.Dropout(d.name(), p);
        }
        if (l instanceof LayerSpec.Sequential s) {
            return new LayerSpec.Sequential(s.name(), s.layers().stream().map(x -> rewrite(x, p)).toList());
        }
        if (l instanceof LayerSpec.Residual r) {
            return new LayerSpec.Residual(r.name(), (LayerSpec.Sequential) rewrite(r.body(), p),
                    r.projection().map(x -> (LayerSpec.Sequential) rewrite(x, p)), r.activation());
        }
        return l;
    }
}
