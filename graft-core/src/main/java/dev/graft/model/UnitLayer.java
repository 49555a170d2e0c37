package dev.graft.model;

import java.util.List;
import java.util.Optional;

/**
 * A linear or convolution layer seen as a set of output units, with what depends on those units.
 * Unit surgery (selecting or widening units) on this layer must also reorder its followers' rows
 * and its consumer's input columns.
 *
 * @param layer the layer's full name
 * @param units its number of output units or channels
 * @param followers BatchNorm layers that normalize these units before any other unit layer
 * @param layerNormed whether a LayerNorm mixes these units (which unit surgery cannot preserve)
 * @param consumer the next linear or convolution layer fed by these units, if any
 * @param consumerBlock input columns of the consumer per unit (H×W when a flatten lies between)
 * @param consumerGrouped whether the consumer is a grouped convolution
 * @param feedsResidual whether these units reach a residual addition
 */
public record UnitLayer(String layer, int units, List<String> followers, boolean layerNormed,
        Optional<String> consumer, int consumerBlock, boolean consumerGrouped, boolean feedsResidual) {

    /** Why unit surgery on this layer is impossible, if it is. */
    public Optional<String> surgeryObstacle() {
        if (feedsResidual) {
            return Optional.of("its output feeds a residual addition");
        }
        if (layerNormed) {
            return Optional.of("a LayerNorm mixes its units");
        }
        if (consumerGrouped) {
            return Optional.of("its consumer " + consumer.orElse("") + " is a grouped convolution");
        }
        return Optional.empty();
    }
}
