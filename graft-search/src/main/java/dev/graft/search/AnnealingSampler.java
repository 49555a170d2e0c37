package dev.graft.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulated annealing with Metropolis acceptance (Kirkpatrick et al. 1983), maximizing. Each
 * proposal changes {@code genesPerMove} genes of the current point. The first
 * {@code calibrationMoves} moves are a random walk whose worsening steps set the initial
 * temperature so that about {@code initialAcceptance} of worsening moves would be accepted
 * (T₀ = −mean(Δ⁻)/ln p). The temperature then cools linearly to zero over {@code budget} moves,
 * or exponentially by {@code alpha} per move; with {@code reheatAfter} > 0 it is raised back to
 * T₀·{@code reheatFactor} after that many moves without an acceptance.
 */
public final class AnnealingSampler implements Sampler {

    /** How the temperature falls. */
    public enum Cooling { LINEAR, EXPONENTIAL }

    /**
     * Settings.
     *
     * @param cooling linear or exponential
     * @param alpha the exponential factor per move
     * @param budget moves over which linear cooling reaches zero
     * @param genesPerMove genes changed per proposal
     * @param calibrationMoves random-walk moves that set T₀
     * @param initialAcceptance the share of worsening moves accepted at T₀
     * @param reheatAfter moves without acceptance before reheating (0: never)
     * @param reheatFactor the reheated temperature as a share of T₀
     */
    public record Config(Cooling cooling, double alpha, int budget, int genesPerMove, int calibrationMoves,
            double initialAcceptance, int reheatAfter, double reheatFactor) {
        /**
         * Exponential cooling by 0.93 per move, one gene per move; the calibration walk takes a
         * quarter of the budget (2 to 6 moves), so that a small budget still anneals.
         */
        public static Config defaults(int budget) {
            return new Config(Cooling.EXPONENTIAL, 0.93, budget, 1, Math.max(2, Math.min(6, budget / 4)), 0.8, 0,
                    0.5);
        }
    }

    private final Config config;
    private final SplittableRandom rnd;
    private int[] current;
    private double currentValue = Double.NaN;
    private final List<Double> worsening = new ArrayList<>();
    private int moves;
    private double t0 = Double.NaN;
    private double temperature = Double.NaN;
    private int sinceAccept;

    public AnnealingSampler(Config config, long seed) {
        this.config = config;
        this.rnd = new SplittableRandom(seed);
    }

    /** The current temperature (NaN while calibrating); for traces. */
    public double temperature() {
        return temperature;
    }

    @Override
    public int[] sample(SearchSpace space, List<Trial> history) {
        if (current == null) {
            return space.random(rnd);
        }
        return Neighbours.move(space, current, config.genesPerMove(), rnd);
    }

    @Override
    public void observe(SearchSpace space, Trial t) {
        if (!t.hasValue()) {
            sinceAccept++;
            return;
        }
        if (current == null) {
            accept(t);
            return;
        }
        double delta = t.value() - currentValue;
        moves++;
        if (moves <= config.calibrationMoves()) {
            if (delta < 0) {
                worsening.add(-delta);
            }
            accept(t);
            if (moves == config.calibrationMoves()) {
                double mean = worsening.stream().mapToDouble(Double::doubleValue).average()
                        .orElse(Math.max(1e-9, Math.abs(currentValue) * 1e-3));
                t0 = -mean / Math.log(config.initialAcceptance());
                temperature = t0;
            }
            return;
        }
        boolean accepted = delta >= 0 || (temperature > 0 && rnd.nextDouble() < Math.exp(delta / temperature));
        if (accepted) {
            accept(t);
        } else {
            sinceAccept++;
        }
        int k = moves - config.calibrationMoves();
        temperature = switch (config.cooling()) {
            case EXPONENTIAL -> temperature * config.alpha();
            case LINEAR -> t0 * Math.max(0, 1 - (double) k / Math.max(1, config.budget()));
        };
        if (config.reheatAfter() > 0 && sinceAccept >= config.reheatAfter()) {
            temperature = t0 * config.reheatFactor();
            sinceAccept = 0;
        }
    }

    private void accept(Trial t) {
        current = t.point();
        currentValue = t.value();
        sinceAccept = 0;
    }
}
