package dev.graft.model;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code torch.cat([x, layers(x)], 1)}: the input followed by what its layers make of it, along
 * the channels; the layers are registered directly under this one with their own names. This is
 * one layer of torchvision's DenseNet dense block ({@code _DenseLayer}: {@code norm1}, {@code relu1},
 * {@code conv1}, ...), whose block concatenates every earlier layer's features: a chain of these
 * computes exactly that. In the unit graph it is a concatenation of the identity and the layers.
 */
public record DenseConcatLayer(String name, List<LayerSpec> layers) implements LayerSpec {

    public static final LayerKind KIND = LayerKind.of("denseconcat", Set.of("layers"), a -> {
        List<LayerSpec> layers = a.layers("layers");
        if (layers.isEmpty()) {
            throw a.error("a denseconcat needs at least one layer");
        }
        return new DenseConcatLayer(a.name(), layers);
    }, new LayerKind.Example("{type: denseconcat, layers: [{name: norm1, type: batchnorm2d}, {name: relu1, type: relu},"
            + " {name: conv1, type: conv2d, out: 3, kernel: 3, padding: 1, bias: false}]}", 2, 4, 4));

    public DenseConcatLayer {
        layers = List.copyOf(layers);
    }

    /** The same computation as a concat of the identity and the layers (registered in this layer's place). */
    private ConcatLayer concat() {
        return new ConcatLayer(name, List.of(new ActivationLayer("input", ActivationLayer.Function.IDENTITY),
                new SequentialLayer("", layers)));
    }

    public Map<String, Object> yaml() {
        return Yaml.args("layers", layers);
    }

    public String type() {
        return KIND.keyword();
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        return concat().infer(path, s, ctx);
    }

    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        return concat().export(path, in, ctx);
    }

    public Block build(String path, BuildContext ctx) {
        return concat().build(path, ctx);
    }

    @Override
    public List<LayerSpec> children() {
        return layers;
    }

    @Override
    public DenseConcatLayer withChildren(List<LayerSpec> children) {
        return new DenseConcatLayer(name, children);
    }
}
