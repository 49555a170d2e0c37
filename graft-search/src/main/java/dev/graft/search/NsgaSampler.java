package dev.graft.search;

import io.jenetics.DoubleGene;
import io.jenetics.Mutator;
import io.jenetics.SinglePointCrossover;
import io.jenetics.TournamentSelector;
import io.jenetics.engine.Engine;
import io.jenetics.engine.Limits;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.ext.moea.Pareto;
import io.jenetics.ext.moea.Vec;
import java.util.Arrays;
import java.util.List;

/**
 * NSGA-II (Deb et al. 2002) on Jenetics' multi-objective support ({@code jenetics.ext}): the
 * fitness of a policy is the vector of its objectives (each turned so that more is better),
 * parents are chosen by Pareto-dominance tournaments, and survivors by non-dominated rank and
 * crowding distance. Its trials' objectives give the search's Pareto front.
 */
public final class NsgaSampler implements Sampler {

    /**
     * @param population individuals per generation
     * @param generations generations at most
     * @param crossoverProbability single-point crossover, per pair
     * @param mutationProbability per gene
     */
    public record Config(int population, int generations, double crossoverProbability, double mutationProbability) {
        /** A population of a fifth of the budget (4 to 20), enough generations to spend it. */
        public static Config defaults(int budget) {
            int population = Math.max(4, Math.min(20, budget / 5));
            return new Config(population, Math.max(2, budget / population + 1), 0.7, 0.15);
        }
    }

    private final Config config;
    private final long seed;
    private final EvolutionBridge<Vec<double[]>> bridge;

    /**
     * @param objectives the search's objectives (at least two), to turn each toward "more is better"
     */
    public NsgaSampler(Config config, Objectives objectives, long seed) {
        this.config = config;
        this.seed = seed;
        int k = objectives.list().size();
        double[] worst = new double[k];
        Arrays.fill(worst, Double.NEGATIVE_INFINITY);
        this.bridge = new EvolutionBridge<>(seed, t -> Vec.of(t.hasValue() && t.objectives().length == k
                ? objectives.maximized(t.objectives()) : worst),
                (a, b) -> Pareto.dominance(b.data(), a.data()) > 0 ? b : a);
    }

    @Override
    public int[] sample(SearchSpace s, List<Trial> history) {
        return bridge.sample(s, this::start);
    }

    @Override
    public void observe(SearchSpace s, Trial t) {
        bridge.observe(t);
    }

    private void start(SearchSpace s) {
        Engine<DoubleGene, Vec<double[]>> engine = new Engine.Builder<DoubleGene, Vec<double[]>>(bridge::evaluate,
                EvolutionBridge.genotype(s))
                .populationSize(config.population())
                .maximizing()
                .executor(Runnable::run)
                .offspringSelector(new TournamentSelector<>(3))
                .survivorsSelector(NSGA2Selector.ofVec())
                .alterers(new SinglePointCrossover<>(config.crossoverProbability()),
                        new Mutator<>(config.mutationProbability()))
                .build();
        bridge.launch("graft-nsga2-engine", () -> io.jenetics.util.RandomRegistry.using(
                new java.util.SplittableRandom(seed),
                r -> engine.stream().limit(Limits.byFixedGeneration(config.generations())).forEach(x -> { })));
    }

    @Override
    public void close() {
        bridge.close();
    }
}
