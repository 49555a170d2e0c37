package dev.graft.model;

import java.util.List;
import java.util.Optional;

/**
 * A layer with output units (a linear or convolution layer) as a node of the unit graph, with what
 * depends on those units. The graph is a DAG: units may feed several consumers (both branches of a
 * residual block) and a consumer may read several producers (the layer after a residual sum). Unit
 * surgery (selecting or widening units) on this layer must also reorder its followers' rows and
 * every consumer's input columns.
 *
 * @param layer the layer's full name
 * @param units its number of output units or channels
 * @param followers layers that normalize these units one by one (BatchNorm) before any other unit layer
 * @param layerNormed whether a layer mixes these units (a LayerNorm), which unit surgery cannot preserve
 * @param consumers the next layers with units fed by these units, in order
 * @param joined what joins these units with other layers' units, if anything does (a residual
 *     addition, a channel scale, a concatenation), which unit surgery cannot follow
 */
public record UnitLayer(String layer, int units, List<String> followers, boolean layerNormed,
        List<Consumer> consumers, Optional<String> joined) {

    public UnitLayer {
        followers = List.copyOf(followers);
        consumers = List.copyOf(consumers);
    }

    /**
     * One edge of the unit graph.
     *
     * @param layer the consuming layer's full name
     * @param block input columns of the consumer per unit (H×W when a flatten lies between)
     * @param grouped whether the consumer is a grouped convolution
     */
    public record Consumer(String layer, int block, boolean grouped) {}

    /** The edge to {@code layer}, if it consumes these units. */
    public Optional<Consumer> consumer(String layer) {
        return consumers.stream().filter(c -> c.layer().equals(layer)).findFirst();
    }

    /** Why unit surgery on this layer is impossible, if it is. */
    public Optional<String> surgeryObstacle() {
        if (joined.isPresent()) {
            return Optional.of("its output feeds " + joined.get());
        }
        if (layerNormed) {
            return Optional.of("a LayerNorm mixes its units");
        }
        return consumers.stream().filter(Consumer::grouped).findFirst()
                .map(c -> "its consumer " + c.layer() + " is a grouped convolution");
    }
}
