package dev.graft.model;

import java.util.List;
import java.util.Optional;

/**
 * Units that span a block of rows in several layers at once: a node of the unit graph beside the
 * {@link UnitLayer}s, made for an attention layer's heads. Head h of a {@code bert_layer} is rows
 * {@code h·rows .. h·rows + rows - 1} of the query's, key's and value's weight ({@code nn.Linear}
 * {@code [out, in]}) and bias, and as many input columns of the output projection
 * ({@code attention.output.dense}), which reads the heads' outputs concatenated in order. Unit surgery
 * on them (select_units, unit masks) moves whole heads: every member's row block and every
 * consumer's column block together. The members are {@link UnitLayer}s too (joined, since their
 * single rows cannot move alone), so the per-layer view of the model is unchanged.
 *
 * @param layer the module that holds them and names them in plans, such as
 *     {@code encoder.layer.3.attention.self} (Hugging Face's {@code BertSelfAttention})
 * @param noun what one unit is called in reports, such as {@code head}
 * @param units how many there are (the heads)
 * @param rows rows per unit in each member (the head size)
 * @param members the layers whose weight and bias rows the units span, in {@code state_dict} order
 * @param consumers the layers that read the units, each with its input columns per unit
 * @param noWidening why net2wider cannot add units, if it cannot
 */
public record SharedUnits(String layer, String noun, int units, int rows, List<String> members,
        List<UnitLayer.Consumer> consumers, Optional<String> noWidening) {

    public SharedUnits {
        members = List.copyOf(members);
        consumers = List.copyOf(consumers);
        if (units <= 0 || rows <= 0 || members.isEmpty()) {
            throw new IllegalArgumentException(layer + ": shared units need units, rows and members");
        }
    }

    /** The edge to {@code consumer}, if it reads these units. */
    public Optional<UnitLayer.Consumer> consumer(String consumer) {
        return consumers.stream().filter(c -> c.layer().equals(consumer)).findFirst();
    }
}
