package dev.graft.model;

import java.util.Map;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code nn.BatchNorm1d} or {@code nn.BatchNorm2d}; {@code momentum} is PyTorch's. Its tensors
 * follow the rows of the unit layer it normalizes.
 */
public record BatchNormLayer(String name, int dimensions, double eps, double momentum) implements LayerSpec {

    public static final LayerKind KIND_1D = kind(1);
    public static final LayerKind KIND_2D = kind(2);

    private static LayerKind kind(int dimensions) {
        return LayerKind.of("batchnorm" + dimensions + "d", Set.of("eps", "momentum"),
                a -> new BatchNormLayer(a.name(), dimensions, a.number("eps", 1e-5), a.number("momentum", 0.1)),
                dimensions == 2 ? new LayerKind.Example("{type: batchnorm2d, eps: 0.001, momentum: 0.01}", 3, 4, 4)
                        : new LayerKind.Example("{type: batchnorm1d, eps: 0.001, momentum: 0.01}", 6));
    }

    public Map<String, Object> yaml() {
        return Yaml.args("eps", eps == 1e-5 ? null : eps, "momentum", momentum == 0.1 ? null : momentum);
    }

    public String type() {
        return "batchnorm" + dimensions + "d";
    }

    public long[] infer(String path, long[] s, LayoutContext ctx) {
        boolean ok = dimensions == 2 ? s.length == 3 : s.length == 1 || s.length == 2;
        ctx.need(ok, path, type() + " cannot take input " + Arrays.toString(s));
        long c = s[0];
        ctx.param(path, type(), ParamRole.WEIGHT, ParamInit.ONES, false, 0, c);
        ctx.param(path, type(), ParamRole.BIAS, ParamInit.ZEROS, false, 0, c);
        ctx.param(path, type(), ParamRole.RUNNING_MEAN, ParamInit.ZEROS, false, 0, c);
        ctx.param(path, type(), ParamRole.RUNNING_VAR, ParamInit.ONES, false, 0, c);
        ctx.param(path, type(), ParamRole.NUM_BATCHES_TRACKED, ParamInit.ZEROS, false, 0);
        ctx.normalizesUnits(path);
        return s;
    }

    /**
     * {@code BatchNormalization} in inference mode: {@code (x - running_mean) / sqrt(running_var + eps)
     * * weight + bias} per channel (axis 1 of the batch). {@code momentum} only matters in training.
     */
    @Override
    public String export(String path, ExportContext.Value in, ExportContext ctx) {
        return ctx.node(path, "BatchNormalization", java.util.List.of(in.name(), ctx.tensor(path + ".weight"),
                ctx.tensor(path + ".bias"), ctx.tensor(path + ".running_mean"), ctx.tensor(path + ".running_var")),
                ExportContext.Attribute.real("epsilon", eps));
    }

    public Block build(String path, BuildContext ctx) {
        BatchNorm b = BatchNorm.builder().optAxis(1).optEpsilon((float) eps)
                .optMomentum((float) (1 - momentum)).build();
        ctx.parameters(b, path, "gamma", "weight", "beta", "bias", "runningMean", "running_mean",
                "runningVar", "running_var");
        StatsFreezableBatchNorm wrapper = new StatsFreezableBatchNorm(b);
        ctx.batchNorm(path, wrapper);
        return wrapper;
    }
}
