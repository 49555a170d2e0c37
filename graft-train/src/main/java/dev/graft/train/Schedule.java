package dev.graft.train;

/**
 * A learning-rate schedule: the factor on the base learning rate at each optimizer step (0-based).
 * Formulas follow PyTorch's schedulers.
 */
public sealed interface Schedule {

    /** The learning rate at {@code step} of {@code totalSteps}. */
    double lr(double base, int step, int totalSteps);

    /** The base rate throughout. */
    record Constant() implements Schedule {
        public double lr(double base, int step, int total) {
            return base;
        }
    }

    /** Multiplied by {@code gamma} every {@code stepSize} steps. */
    record Step(int stepSize, double gamma) implements Schedule {
        public Step {
            if (stepSize <= 0) {
                throw new IllegalArgumentException("step size must be positive");
            }
        }

        public double lr(double base, int step, int total) {
            return base * Math.pow(gamma, step / stepSize);
        }
    }

    /** Multiplied by {@code gamma} every step. */
    record Exponential(double gamma) implements Schedule {
        public double lr(double base, int step, int total) {
            return base * Math.pow(gamma, step);
        }
    }

    /**
     * Linear warm-up from 0 over {@code warmupSteps}, then cosine annealing to {@code minLr} at the
     * last step.
     */
    record CosineWarmup(int warmupSteps, double minLr) implements Schedule {
        public double lr(double base, int step, int total) {
            if (step < warmupSteps) {
                return base * (step + 1) / warmupSteps;
            }
            int span = Math.max(1, total - warmupSteps - 1);
            double progress = Math.min(1.0, (double) (step - warmupSteps) / span);
            return minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
    }

    /**
     * Smith's one-cycle policy with cosine annealing, as PyTorch's {@code OneCycleLR}: from
     * {@code base/divFactor} up to {@code base} over the first {@code pctStart} of the steps, then
     * down to {@code base/(divFactor·finalDivFactor)}.
     */
    record OneCycle(double pctStart, double divFactor, double finalDivFactor) implements Schedule {
        public double lr(double base, int step, int total) {
            double initial = base / divFactor;
            double last = initial / finalDivFactor;
            double upEnd = pctStart * total - 1;
            double downEnd = total - 1;
            if (step <= upEnd) {
                return anneal(initial, base, upEnd <= 0 ? 1 : step / upEnd);
            }
            return anneal(base, last, (step - upEnd) / Math.max(1e-12, downEnd - upEnd));
        }

        private static double anneal(double from, double to, double pct) {
            return to + (from - to) / 2.0 * (Math.cos(Math.PI * Math.min(1, pct)) + 1);
        }
    }
}
