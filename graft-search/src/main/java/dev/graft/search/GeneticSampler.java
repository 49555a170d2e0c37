package dev.graft.search;

import io.jenetics.AltererResult;
import io.jenetics.DoubleGene;
import io.jenetics.EliteSelector;
import io.jenetics.Genotype;
import io.jenetics.MultiPointCrossover;
import io.jenetics.Mutator;
import io.jenetics.Phenotype;
import io.jenetics.RouletteWheelSelector;
import io.jenetics.Selector;
import io.jenetics.SinglePointCrossover;
import io.jenetics.TournamentSelector;
import io.jenetics.TruncationSelector;
import io.jenetics.DoubleChromosome;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.engine.Limits;
import io.jenetics.util.ISeq;
import io.jenetics.util.Seq;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A genetic algorithm on the Jenetics 7.2 engine, run against the study by an
 * {@link EvolutionBridge}: each generation's new points are offered through {@link #sample} and
 * their values come back through {@link #observe}. Tournament, roulette or truncation selection,
 * single- or multi-point crossover, mutation with an optional adaptive rate, elitism, and a stop
 * on steady fitness.
 */
public final class GeneticSampler implements Sampler {

    /** Parent selection. */
    public enum Selection { TOURNAMENT, ROULETTE, TRUNCATION }

    /**
     * Settings.
     *
     * @param population individuals per generation
     * @param generations generations at most
     * @param selection how parents are chosen
     * @param tournamentSize for tournament selection
     * @param crossoverPoints 1 for single-point crossover, more for multi-point
     * @param crossoverProbability per pair
     * @param mutationProbability per gene
     * @param adaptiveMutation double the mutation rate while the population has collapsed to few
     *     distinct points
     * @param elites best individuals kept unchanged
     * @param steadyGenerations stop after this many generations without improvement (0: never)
     */
    public record Config(int population, int generations, Selection selection, int tournamentSize,
            int crossoverPoints, double crossoverProbability, double mutationProbability, boolean adaptiveMutation,
            int elites, int steadyGenerations) {
        /**
         * A population of a fifth of the budget (4 to 20), so that even a budget of 8 sees a
         * second generation, tournament selection of 3, single-point crossover, adaptive mutation
         * and one elite.
         */
        public static Config defaults(int budget) {
            int population = Math.max(4, Math.min(20, budget / 5));
            return new Config(population, Math.max(2, budget / population + 1), Selection.TOURNAMENT, 3, 1, 0.7,
                    0.15, true, 1, 0);
        }
    }

    /**
     * What a finished generation looked like.
     *
     * @param generation from 1
     * @param best the best fitness
     * @param mean the mean fitness
     * @param mutationRate the rate used to make its offspring
     */
    public record GenerationStats(long generation, double best, double mean, double mutationRate) {}

    private final Config config;
    private final long seed;
    private final EvolutionBridge<Double> bridge;
    private final List<GenerationStats> stats = Collections.synchronizedList(new ArrayList<>());
    private volatile double mutationRate;

    public GeneticSampler(Config config, long seed) {
        this.config = config;
        this.seed = seed;
        this.bridge = new EvolutionBridge<>(seed, t -> t.hasValue() ? t.value() : Double.NEGATIVE_INFINITY, Math::max);
        this.mutationRate = config.mutationProbability();
    }

    /** Statistics of each finished generation. */
    public List<GenerationStats> generations() {
        return List.copyOf(stats);
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
        Engine<DoubleGene, Double> engine = new Engine.Builder<DoubleGene, Double>(bridge::evaluate,
                EvolutionBridge.genotype(s))
                .populationSize(config.population())
                .maximizing()
                .executor(Runnable::run)
                .offspringSelector(selector())
                .survivorsSelector(new EliteSelector<>(config.elites(), selector()))
                .alterers(config.crossoverPoints() <= 1
                        ? new SinglePointCrossover<>(config.crossoverProbability())
                        : new MultiPointCrossover<>(config.crossoverProbability(), config.crossoverPoints()),
                        this::mutate)
                .build();
        // the engine's own randomness (selection, crossover, mutation) is seeded on its thread
        bridge.launch("graft-genetic-engine", () -> io.jenetics.util.RandomRegistry.using(
                new java.util.SplittableRandom(seed), r -> {
                    var stream = engine.stream().limit(Limits.byFixedGeneration(config.generations()));
                    if (config.steadyGenerations() > 0) {
                        stream = stream.limit(Limits.<Double>bySteadyFitness(config.steadyGenerations()));
                    }
                    stream.forEach(this::record);
                }));
    }

    private void record(EvolutionResult<DoubleGene, Double> r) {
        double best = r.bestFitness() == null ? Double.NaN : r.bestFitness();
        double mean = r.population().stream().mapToDouble(p -> p.fitness()).filter(Double::isFinite).average()
                .orElse(Double.NaN);
        stats.add(new GenerationStats(r.generation(), best, mean, mutationRate));
    }

    /** Mutation, with the rate doubled while fewer than half of the individuals are distinct. */
    private AltererResult<DoubleGene, Double> mutate(Seq<Phenotype<DoubleGene, Double>> population, long generation) {
        double rate = config.mutationProbability();
        if (config.adaptiveMutation()) {
            Set<String> distinct = new HashSet<>();
            for (Phenotype<DoubleGene, Double> p : population) {
                distinct.add(SearchSpace.key(bridge.decode(p.genotype())));
            }
            if (distinct.size() * 2 < population.size()) {
                rate = Math.min(0.5, rate * 2);
            }
        }
        mutationRate = rate;
        return new Mutator<DoubleGene, Double>(rate).alter(population, generation);
    }

    private Selector<DoubleGene, Double> selector() {
        return switch (config.selection()) {
            case TOURNAMENT -> new TournamentSelector<>(config.tournamentSize());
            case ROULETTE -> new RouletteWheelSelector<>();
            case TRUNCATION -> new TruncationSelector<>();
        };
    }

    @Override
    public void close() {
        bridge.close();
    }
}
