package dev.graft.model.family;

import dev.graft.checkpoint.Dims;
import dev.graft.model.ActivationLayer;
import dev.graft.model.AdaptiveAvgPool2dLayer;
import dev.graft.model.BatchNormLayer;
import dev.graft.model.Conv2dLayer;
import dev.graft.model.DropoutLayer;
import dev.graft.model.FlattenLayer;
import dev.graft.model.LayerSpec;
import dev.graft.model.LinearLayer;
import dev.graft.model.ModelSpec;
import dev.graft.model.Pool2dLayer;
import dev.graft.model.ResidualLayer;
import dev.graft.model.SequentialLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/** torchvision's building blocks as layer specs, and the one {@link Family} implementation. */
final class Tv {
    private Tv() {}

    static final ActivationLayer.Function RELU = ActivationLayer.Function.RELU;

    /** A family whose layers are a function of (classes, input channels). */
    record Generated(String name, Dims defaultInput, String stem, String head,
            BiFunction<Integer, Integer, List<LayerSpec>> layers) implements Family {
        public ModelSpec spec(int numClasses, int inputChannels) {
            if (numClasses <= 0 || inputChannels <= 0) {
                throw new IllegalArgumentException(name + ": classes and input channels must be positive, got "
                        + numClasses + " and " + inputChannels);
            }
            long[] in = defaultInput.sizes().clone();
            in[0] = inputChannels;
            return new ModelSpec(name, "family " + name, new Dims(in),
                    new SequentialLayer("", layers.apply(numClasses, inputChannels)), Optional.of(head));
        }
    }

    static Family family(String name, long[] input, String stem, String head,
            BiFunction<Integer, Integer, List<LayerSpec>> layers) {
        return new Generated(name, new Dims(input), stem, head, layers);
    }

    static Conv2dLayer conv(String name, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        return new Conv2dLayer(name, out, kernel, stride, padding, groups, bias);
    }

    static BatchNormLayer bn(String name, double eps, double momentum) {
        return new BatchNormLayer(name, 2, eps, momentum);
    }

    static BatchNormLayer bn(String name) {
        return bn(name, 1e-5, 0.1);
    }

    static ActivationLayer act(String name, ActivationLayer.Function f) {
        return new ActivationLayer(name, f);
    }

    static SequentialLayer seq(String name, List<? extends LayerSpec> layers) {
        return new SequentialLayer(name, List.copyOf(layers));
    }

    static SequentialLayer seq(String name, LayerSpec... layers) {
        return new SequentialLayer(name, List.of(layers));
    }

    /** Names a list of layers by index, as {@code nn.Sequential(*layers)} does. */
    static List<LayerSpec> indexed(List<java.util.function.Function<String, LayerSpec>> makers) {
        List<LayerSpec> out = new ArrayList<>();
        for (int i = 0; i < makers.size(); i++) {
            out.add(makers.get(i).apply(String.valueOf(i)));
        }
        return out;
    }

    /**
     * torchvision's {@code Conv2dNormActivation}: {@code 0} conv (no bias), {@code 1} BatchNorm,
     * {@code 2} the activation if any; padding {@code (kernel - 1) / 2}.
     */
    static SequentialLayer convNormAct(String name, int out, int kernel, int stride, int groups, double eps,
            double momentum, ActivationLayer.Function f) {
        List<LayerSpec> l = new ArrayList<>();
        l.add(conv("0", out, kernel, stride, (kernel - 1) / 2, groups, false));
        l.add(bn("1", eps, momentum));
        if (f != null) {
            l.add(act("2", f));
        }
        return seq(name, l);
    }

    /** {@code body(x) + x}, the body's layers registered under the block. */
    static ResidualLayer identityResidual(String name, List<LayerSpec> layers) {
        return new ResidualLayer(name, new SequentialLayer("", layers), Optional.empty(), Optional.empty());
    }

    /** {@code relu(body(x) + shortcut(x))} as torchvision's ResNet blocks. */
    static ResidualLayer resnetBlock(String name, List<LayerSpec> layers, LayerSpec downsample) {
        return new ResidualLayer(name, new SequentialLayer("", layers), Optional.ofNullable(downsample),
                Optional.of(RELU));
    }

    static AdaptiveAvgPool2dLayer adaptiveAvg(String name, int out) {
        return new AdaptiveAvgPool2dLayer(name, out, out);
    }

    static FlattenLayer flatten() {
        return new FlattenLayer("flatten");
    }

    static LinearLayer linear(String name, int out) {
        return new LinearLayer(name, out, true);
    }

    static DropoutLayer dropout(String name, double p) {
        return new DropoutLayer(name, p);
    }

    static Pool2dLayer maxPool(String name, int kernel, int stride, int padding) {
        return new Pool2dLayer(name, true, kernel, stride, padding);
    }

    static Pool2dLayer avgPool(String name, int kernel, int stride) {
        return new Pool2dLayer(name, false, kernel, stride, 0);
    }

    /** torchvision's {@code _make_divisible(v, divisor)}. */
    static int makeDivisible(double v, int divisor) {
        int n = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return n < 0.9 * v ? n + divisor : n;
    }
}
