package dev.graft.transfer;

import java.util.Locale;

/** How a source tensor becomes a target tensor. */
public sealed interface Transform {

    /** The keyword used in plan files. */
    String keyword();

    /**
     * Whether a rule naming attention heads ({@code heads:}) may use it: the ones that keep a head
     * whole (copy, select_units; net2wider to be refused with the layer's reason), not those that cut
     * or pad single rows.
     */
    default boolean keepsHeadsWhole() {
        return false;
    }

    /** Same shape, values copied. */
    record Copy() implements Transform {
        @Override
        public boolean keepsHeadsWhole() {
            return true;
        }

        public String keyword() {
            return "copy";
        }
    }

    /** Shapes may differ: the overlapping region is copied, the rest keeps the target's initializer. */
    record SlicePad() implements Transform {
        public String keyword() {
            return "slice_pad";
        }
    }

    /**
     * The target layer has fewer units: keep the source units with the largest L1 norm (in their
     * original order); the layer's BatchNorm and the next layer's input columns follow.
     */
    record SelectUnits() implements Transform {
        @Override
        public boolean keepsHeadsWhole() {
            return true;
        }

        public String keyword() {
            return "select_units";
        }
    }

    /**
     * Function-preserving widening (Net2WiderNet, Chen et al. 2016): extra units replicate
     * randomly chosen source units and the next layer's weights from replicated units are divided
     * by the number of copies.
     */
    record Net2Wider() implements Transform {
        @Override
        public boolean keepsHeadsWhole() {
            return true;
        }

        public String keyword() {
            return "net2wider";
        }
    }

    /**
     * A different number of input channels, as timm adapts a pretrained first convolution:
     * {@code SUM} folds all source channels into one; {@code REPEAT} cycles the source channels
     * and rescales by source/target channels; {@code AUTO} picks SUM for one target channel.
     */
    record AdaptInputChannels(Mode mode) implements Transform {
        public String keyword() {
            return "adapt_input_channels";
        }

        /** How channels are adapted. */
        public enum Mode {
            AUTO, SUM, REPEAT;

            public String keyword() {
                return name().toLowerCase(Locale.ROOT);
            }
        }
    }
}
