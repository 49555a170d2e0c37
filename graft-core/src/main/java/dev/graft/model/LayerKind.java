package dev.graft.model;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One layer type of a model spec, as written in YAML ({@code type: conv2d}). A kind owns its YAML
 * keys and parses them into a {@link LayerSpec}; the spec it returns owns the rest (shape
 * inference, tensors and their roles, its place in the unit graph, its DJL build). Adding a layer
 * type is one new {@link LayerSpec} class with its kind, plus one line in {@link LayerKinds}.
 *
 * <p>Implementations are immutable and thread-safe. Every registered kind must pass the
 * registry-wide contract test ({@code LayerKindContractTest}) on its {@link #examples()}.
 */
public interface LayerKind {

    /** The {@code type} keyword, lower case. */
    String keyword();

    /** The keys a layer of this type may have beside {@code name} and {@code type}. */
    Set<String> keys();

    /**
     * Parses one layer whose keys were already checked against {@link #keys()}.
     *
     * @throws SpecException for a missing or bad value, naming the file and the layer's path
     */
    LayerSpec parse(LayerArgs args);

    /**
     * Layers of this type with an input each, for the contract test: at least one, together using
     * every key (a YAML flow mapping with {@code type}, such as {@code {type: linear, out: 3}}).
     */
    List<Example> examples();

    /**
     * A layer of this kind and an input it can take.
     *
     * @param yaml the layer as a YAML flow mapping, with its {@code type}
     * @param input one sample's shape, without the batch dimension
     */
    record Example(String yaml, long... input) {}

    /** A kind made of its parts. */
    static LayerKind of(String keyword, Set<String> keys, Function<LayerArgs, LayerSpec> parser, Example... examples) {
        List<Example> ex = List.of(examples);
        Set<String> k = Set.copyOf(keys);
        return new LayerKind() {
            public String keyword() {
                return keyword;
            }

            public Set<String> keys() {
                return k;
            }

            public LayerSpec parse(LayerArgs args) {
                return parser.apply(args);
            }

            public List<Example> examples() {
                return ex;
            }

            @Override
            public String toString() {
                return keyword;
            }
        };
    }
}
