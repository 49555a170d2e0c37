package dev.graft.model.family;

import dev.graft.model.ModelSpec;
import dev.graft.model.SpecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of model families: name to {@link Family}. The only place that lists them.
 * Immutable and thread-safe.
 */
public final class Families {
    private static final Map<String, Family> FAMILIES = register();

    private Families() {}

    private static Map<String, Family> register() {
        List<Family> all = new ArrayList<>();
        all.add(ResNets.RESNET18);
        all.add(ResNets.RESNET34);
        all.add(ResNets.RESNET50);
        all.add(MobileNets.MOBILENET_V2);
        all.add(MobileNets.MOBILENET_V3_SMALL);
        all.add(EfficientNets.EFFICIENTNET_B0);
        all.add(Vggs.VGG11_BN);
        all.add(DenseNets.DENSENET121);
        Map<String, Family> out = new LinkedHashMap<>();
        for (Family f : all) {
            if (out.put(f.name(), f) != null) {
                throw new IllegalStateException("two families are registered as '" + f.name() + "'");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Every family, in registration order. */
    public static List<Family> all() {
        return List.copyOf(FAMILIES.values());
    }

    /** The registered names, in registration order. */
    public static List<String> names() {
        return List.copyOf(FAMILIES.keySet());
    }

    /** The family of a name, if registered. */
    public static Optional<Family> get(String name) {
        return Optional.ofNullable(FAMILIES.get(name));
    }

    /**
     * The family of a name.
     *
     * @throws SpecException naming the known families if there is none
     */
    public static Family require(String name) {
        return get(name).orElseThrow(() -> new SpecException("unknown model family '" + name + "' (known: "
                + String.join(", ", names()) + ")"));
    }

    /** Whether {@code target} reads as {@code NAME} or {@code NAME:K} of a registered family. */
    public static boolean isFamilyTarget(String target) {
        int colon = target.indexOf(':');
        return get(colon < 0 ? target : target.substring(0, colon)).isPresent();
    }

    /**
     * The spec of {@code NAME:K} ({@code K} classes) or {@code NAME} (torchvision's default 1000).
     *
     * @throws SpecException for an unknown family or a bad class count
     */
    public static ModelSpec spec(String target) {
        int colon = target.indexOf(':');
        String name = colon < 0 ? target : target.substring(0, colon);
        int classes = 1000;
        if (colon >= 0) {
            try {
                classes = Integer.parseInt(target.substring(colon + 1));
            } catch (NumberFormatException e) {
                classes = -1;
            }
            if (classes <= 0) {
                throw new SpecException(target + ": the class count after ':' must be a positive integer");
            }
        }
        return require(name).spec(classes);
    }
}
