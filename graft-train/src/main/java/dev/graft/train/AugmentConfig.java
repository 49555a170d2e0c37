package dev.graft.train;

/**
 * Seeded data augmentation for image batches {@code [N, C, H, W]}; zero or false turns a part off.
 *
 * @param cropPadding pad each side by this many pixels, then crop back at a random offset
 * @param horizontalFlip flip half of the images left to right
 * @param rotationDegrees rotate by a uniform angle in ±degrees (bilinear, zero fill)
 * @param mixupAlpha mixup (Zhang et al. 2018) with λ ~ Beta(α, α)
 * @param cutmixAlpha CutMix (Yun et al. 2019) with λ ~ Beta(α, α)
 */
public record AugmentConfig(int cropPadding, boolean horizontalFlip, double rotationDegrees, double mixupAlpha,
        double cutmixAlpha) {

    public static final AugmentConfig NONE = new AugmentConfig(0, false, 0, 0, 0);

    public boolean any() {
        return cropPadding > 0 || horizontalFlip || rotationDegrees > 0 || mixupAlpha > 0 || cutmixAlpha > 0;
    }
}
