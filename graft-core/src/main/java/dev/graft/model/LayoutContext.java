package dev.graft.model;

/**
 * What a layer's {@link LayerSpec#infer shape inference} writes to: the model's tensors and its
 * unit graph. One context walks one spec, in forward order; not thread-safe.
 */
public interface LayoutContext {

    /**
     * Declares a tensor {@code layer.suffix}, in {@code state_dict} order.
     *
     * @param type the layer's type keyword
     * @param fanIn inputs per output unit, or 0
     * @throws SpecException if the shape is too large for one tensor
     */
    void param(String layer, String type, ParamRole role, ParamInit init, boolean decayed, int fanIn, long... dims);

    /** Infers a nested layer (its full name {@code path}) on the current unit flow. */
    long[] infer(LayerSpec child, String path, long[] input);

    /**
     * The element count of a shape.
     *
     * @throws SpecException if it overflows or exceeds what one tensor can hold
     */
    long elements(String layer, String what, long[] shape);

    /**
     * Checks a condition on the layer's input.
     *
     * @throws SpecException naming the file and layer when {@code ok} is false
     */
    void need(boolean ok, String layer, String problem);

    /** The units flowing into the layer being inferred. */
    UnitFlow flow();

    /** Sets the flow (branches: a residual block restarts from its input for each path). */
    void flow(UnitFlow flow);

    /**
     * This layer consumes the flowing units and produces {@code units} of its own (a linear or
     * convolution layer).
     *
     * @param grouped whether it mixes only groups of its input units (a grouped convolution)
     */
    void produces(String layer, int units, boolean grouped);

    /** This layer normalizes the flowing units one by one (BatchNorm): it follows their producer. */
    void normalizesUnits(String layer);

    /** This layer mixes the flowing units (LayerNorm): unit surgery cannot pass it. */
    void mixesUnits(String layer);

    /** Each flowing unit is spread over {@code columns} columns (a flatten of H×W). */
    void spreads(int columns);

    /**
     * The units of {@code members} (unit layers already declared) are also grouped into {@code units}
     * shared units of {@code layer}, each spanning {@code rows} rows of every member: an attention
     * layer's heads (see {@link SharedUnits}). The flow becomes these units, each {@code rows}
     * columns wide, so the next unit layer reads them as its input columns by head.
     *
     * @param noun what one unit is called in reports ("head")
     * @param noWidening why net2wider cannot add such units, if it cannot
     */
    void sharesUnits(String layer, String noun, int units, int rows, java.util.List<String> members,
            java.util.Optional<String> noWidening);

    /**
     * The producers of {@code flow} are joined with other units by {@code how} (such as "a residual
     * addition"): unit surgery on them is impossible. The first reason given is kept.
     */
    void joins(UnitFlow flow, String how);
}
