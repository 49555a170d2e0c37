package dev.graft.experiment;

import dev.graft.model.LayerGroup;
import dev.graft.model.ModelLayout;
import dev.graft.model.ParamInfo;
import dev.graft.train.FineTuner;
import dev.graft.train.TrainConfig;
import dev.graft.transfer.TransferReport;
import dev.graft.transfer.TransferResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did to one layer of the target: the transfer map's cell. Built from the transfer's
 * report and the learning rates the training loop will really use (the plan's multiplier times
 * any layer-wise decay), so it shows what happened, not what a plan asked for.
 *
 * @param layer the layer's name (its tensors' common prefix): a block layer group's name for all its
 *     tensors ({@link LayerGroup#row})
 * @param type the layer's kind ({@code conv2d}, {@code linear}, {@code batchnorm2d}, ...)
 * @param decision {@code frozen}, {@code fine-tuned}, {@code partly transferred} or {@code re-initialized}
 * @param lrMultiplier the multiplier of the layer's weight once every group is unfrozen (0 when frozen)
 * @param transferredFraction share of the layer's trainable elements that hold source-derived values
 * @param parameters trainable elements (weights and biases) in the layer
 * @param trainableParameters of those, the ones the optimizer updates
 * @param group the name of the layer group the layer belongs to ({@link ModelLayout#groups()}: what a
 *     search policy's letters stand for); null in results written before layer groups were recorded
 */
public record LayerDecision(String layer, String type, String decision, double lrMultiplier,
        double transferredFraction, long parameters, long trainableParameters, String group) {

    public static final String FROZEN = "frozen";
    public static final String FINE_TUNED = "fine-tuned";
    public static final String PARTLY = "partly transferred";
    public static final String REINITIALIZED = "re-initialized";

    /**
     * One decision per layer with trainable tensors, in the model's order; a block layer group
     * (a BERT encoder layer, its embeddings) is one row, as it is decided as one.
     */
    public static List<LayerDecision> of(ModelLayout layout, TransferResult transfer, TrainConfig train) {
        Map<String, Double> rates = FineTuner.lrMultipliers(layout,
                new FineTuner.Policy(transfer.modes(), transfer.frozenUnits()), train, Integer.MAX_VALUE / 2);
        Map<String, TransferReport.Row> rows = new LinkedHashMap<>();
        for (TransferReport.Row r : transfer.report().rows()) {
            rows.put(r.target(), r);
        }
        Map<String, LayerGroup> groupOf = layout.groupOfTensor();
        Map<String, List<ParamInfo>> layers = new LinkedHashMap<>();
        for (ParamInfo p : layout.params()) {
            if (p.role().trainable()) {
                layers.computeIfAbsent(groupOf.get(p.name()).row(p.layer()), k -> new ArrayList<>()).add(p);
            }
        }
        // a layer's tensors are all in one group: a row's group is its first tensor's
        List<LayerDecision> out = new ArrayList<>();
        layers.forEach((layer, params) -> {
            long total = 0;
            long transferred = 0;
            long frozen = 0;
            double lr = 0;
            for (ParamInfo p : params) {
                TransferReport.Row row = rows.get(p.name());
                long n = p.dims().count();
                total += n;
                transferred += row == null ? 0 : row.transferred();
                Double rate = rates.get(p.name());
                frozen += rate == null ? n : row == null ? 0 : row.frozenElements();
                if (rate != null && (lr == 0 || p.role() == dev.graft.model.ParamRole.WEIGHT)) {
                    lr = rate;
                }
            }
            double fraction = total == 0 ? 0 : (double) transferred / total;
            String decision = frozen == total ? FROZEN
                    : transferred == 0 ? REINITIALIZED
                    : transferred < total || frozen > 0 ? PARTLY : FINE_TUNED;
            out.add(new LayerDecision(layer, params.get(0).layerType(), decision, frozen == total ? 0 : lr, fraction,
                    total, total - frozen, groupOf.get(params.get(0).name()).name()));
        });
        return out;
    }

    /** Trainable elements over a whole model's decisions: the run's cost in parameters. */
    public static long trainable(List<LayerDecision> decisions) {
        return decisions == null ? 0 : decisions.stream().mapToLong(LayerDecision::trainableParameters).sum();
    }
}
