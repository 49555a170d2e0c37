package dev.graft.model.family;

import dev.graft.checkpoint.Dims;
import dev.graft.model.ModelSpec;

/**
 * A named network architecture that generates its model spec (timm's idea): torchvision's exact
 * module tree, so that its {@code state_dict} names and shapes are torchvision's, built from the
 * registered layer kinds. Implementations are immutable and thread-safe.
 */
public interface Family {

    /** The name, as torchvision's constructor ({@code resnet18}). */
    String name();

    /** The input [C, H, W] the architecture was designed for (ImageNet's). */
    Dims defaultInput();

    /**
     * The stem: the full name of the first convolution, the one layer whose input channels follow
     * the input (for input-channel adaptation of a source checkpoint).
     */
    String stem();

    /** The head: the full name of the classifier layer, re-initialized for a new task. */
    String head();

    /**
     * The spec for {@code numClasses} outputs and images with {@code inputChannels} channels (at the
     * default size); names and shapes are torchvision's {@code NAME(num_classes=numClasses)}, with
     * the stem's input channels changed when {@code inputChannels} is not 3.
     *
     * @throws IllegalArgumentException if a count is not positive
     */
    ModelSpec spec(int numClasses, int inputChannels);

    /** The spec for {@code numClasses} outputs and the default input. */
    default ModelSpec spec(int numClasses) {
        return spec(numClasses, (int) defaultInput().get(0));
    }
}
