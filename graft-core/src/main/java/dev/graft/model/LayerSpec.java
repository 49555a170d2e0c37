package dev.graft.model;

import java.util.List;
import java.util.Optional;

/**
 * One layer of a model spec. Each layer has the PyTorch module name it is registered under in its
 * parent (an index such as {@code "0"} in a sequential group, or a chosen name).
 */
public sealed interface LayerSpec {

    /** The name under which the parent registers this layer. */
    String name();

    /** The spec's type keyword, as written in YAML. */
    String type();

    /** {@code nn.Linear}: weight {@code [out, in]}. */
    record Linear(String name, int out, boolean bias) implements LayerSpec {
        public String type() {
            return "linear";
        }
    }

    /** {@code nn.Conv2d} with square kernel, stride and padding: weight {@code [out, in/groups, k, k]}. */
    record Conv2d(String name, int out, int kernel, int stride, int padding, int groups, boolean bias)
            implements LayerSpec {
        public String type() {
            return "conv2d";
        }
    }

    /** {@code nn.BatchNorm1d} or {@code nn.BatchNorm2d}; {@code momentum} is PyTorch's. */
    record BatchNorm(String name, int dimensions, double eps, double momentum) implements LayerSpec {
        public String type() {
            return "batchnorm" + dimensions + "d";
        }
    }

    /** {@code nn.LayerNorm} over the last dimension. */
    record LayerNorm(String name, double eps) implements LayerSpec {
        public String type() {
            return "layernorm";
        }
    }

    /** An element-wise activation. */
    record Activation(String name, ActivationKind kind) implements LayerSpec {
        public String type() {
            return kind.keyword();
        }
    }

    /** {@code nn.MaxPool2d} or {@code nn.AvgPool2d} with square kernel, stride and padding. */
    record Pool2d(String name, boolean max, int kernel, int stride, int padding) implements LayerSpec {
        public String type() {
            return max ? "maxpool2d" : "avgpool2d";
        }
    }

    /** {@code nn.AdaptiveAvgPool2d(1)}: one value per channel, keeping {@code [C, 1, 1]}. */
    record GlobalAvgPool(String name) implements LayerSpec {
        public String type() {
            return "globalavgpool";
        }
    }

    /** {@code nn.Flatten}: everything after the batch dimension into one. */
    record Flatten(String name) implements LayerSpec {
        public String type() {
            return "flatten";
        }
    }

    /** {@code nn.Dropout} with drop probability {@code p}. */
    record Dropout(String name, double p) implements LayerSpec {
        public String type() {
            return "dropout";
        }
    }

    /** A named group run in order, like {@code nn.Sequential}. */
    record Sequential(String name, List<LayerSpec> layers) implements LayerSpec {
        public Sequential {
            layers = List.copyOf(layers);
        }

        public String type() {
            return "sequential";
        }
    }

    /**
     * {@code activation(body(x) + projection(x))}, or {@code body(x) + x} without a projection;
     * children are registered as {@code body} and {@code projection}.
     */
    record Residual(String name, Sequential body, Optional<Sequential> projection,
            Optional<ActivationKind> activation) implements LayerSpec {
        public String type() {
            return "residual";
        }
    }

    /** The element-wise activations a spec may use. */
    enum ActivationKind {
        RELU, GELU, TANH, SIGMOID;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
