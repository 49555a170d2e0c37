package dev.graft.cli;

import dev.graft.GraftInputException;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.Tensor;
import dev.graft.checkpoint.WeightStore;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.ParamInfo;
import dev.graft.model.family.Families;
import dev.graft.model.family.Family;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.Transferor;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model ({@code --model}: a spec file or a family {@code NAME:K}, see
 * {@link TransferInputs#specOrFamily}) with the weights {@code graft train} wrote for it, taken
 * strictly: what {@code predict} and {@code export} both need. Stateless.
 */
final class TrainedModel {
    private TrainedModel() {}

    /**
     * A family named as NAME:K, as it was trained: the stem's input channels from the weights, and
     * the image size {@code [H, W]} of {@code size} (a family takes any size its network reduces to a
     * pixel; {@code size} of another rank keeps the family's default input).
     */
    static ModelLayout familyAsTrained(ModelLayout named, WeightStore w, Dims size) {
        Family f = Families.require(named.spec().name());
        String stem = f.stem() + ".weight";
        long channels = w.contains(stem) && w.info(stem).dims().rank() >= 2 ? w.info(stem).dims().get(1)
                : named.spec().input().get(0);
        Dims input = size.rank() == 3 ? new Dims(channels, size.get(1), size.get(2)) : named.spec().input();
        ModelSpec s = f.spec((int) named.output().get(0), (int) channels);
        return ModelLayout.of(new ModelSpec(s.name(), s.source(), input, s.root(), s.head()));
    }

    /**
     * The model's tensors from {@code w}, each with exactly the model's shape, as PyTorch's strict
     * {@code load_state_dict} demands: predicting or exporting must never adapt or cut a tensor (as
     * a transfer may) and compute something else.
     *
     * @param weights the weights' path and {@code model} the --model value, for messages
     * @throws GraftInputException if a tensor has another shape, naming it and the file
     */
    static Map<String, Tensor> strictTensors(WeightStore w, ModelLayout layout, Path weights, String model) {
        for (ParamInfo p : layout.params()) {
            if (w.contains(p.name()) && !w.info(p.name()).dims().equals(p.dims())) {
                throw new GraftInputException(weights + ": tensor " + p.name() + " is " + w.info(p.name()).dims()
                        + " but " + model + " needs " + p.dims() + "; use the spec the weights were trained with");
            }
        }
        return Transferor.apply(w, layout, TransferPlan.automatic(), false).tensors();
    }
}
