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
        return new ModelSpec(name, source, input, (LayerSpec.Sequential) rewrite(root, "",
                (path, l) -> l instanceof LayerSpec.Dropout d ? new LayerSpec.Dropout(d.name(), p) : l));
    }

    /**
     * This spec with the linear layer {@code layer} (its full name, such as {@code classifier.4})
     * producing {@code out} units: the same network with another task's head.
     *
     * @throws SpecException if there is no linear layer of that name
     */
    public ModelSpec withLinearOut(String layer, int out) {
        boolean[] found = {false};
        LayerSpec.Sequential r = (LayerSpec.Sequential) rewrite(root, "", (path, l) -> {
            if (path.equals(layer) && l instanceof LayerSpec.Linear lin) {
                found[0] = true;
                return new LayerSpec.Linear(lin.name(), out, lin.bias());
            }
            return l;
        });
        if (!found[0]) {
            throw new SpecException(source + ": no linear layer named '" + layer + "'");
        }
        return new ModelSpec(name, source, input, r);
    }

    private static LayerSpec rewrite(LayerSpec l, String path,
            java.util.function.BiFunction<String, LayerSpec, LayerSpec> leaf) {
        if (l instanceof LayerSpec.Sequential s) {
            return new LayerSpec.Sequential(s.name(), s.layers().stream()
                    .map(x -> rewrite(x, join(path, x.name()), leaf)).toList());
        }
        if (l instanceof LayerSpec.Residual r) {
            return new LayerSpec.Residual(r.name(), (LayerSpec.Sequential) rewrite(r.body(), join(path, "body"), leaf),
                    r.projection().map(x -> (LayerSpec.Sequential) rewrite(x, join(path, "projection"), leaf)),
                    r.activation());
        }
        return leaf.apply(path, l);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
