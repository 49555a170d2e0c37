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
 * A genetic algorithm on the Jenetics 7.2 engine, fed through a batch evaluator: each generation
 * the engine hands its unevaluated phenotypes to the evaluator, which offers their points to the
 * study through {@link #sample} and waits for the results told back through {@link #observe}.
 * The engine runs on its own thread, which {@link #close} stops and joins.
 *
 * <p>A genotype is one {@code [0, 1)} gene per dimension (choice = ⌊gene·size⌋), so single- and
 * multi-point crossover cut between dimensions. Points seen before are answered from memory and
 * cost no trial. When every point of the running generation has been handed out and not all are
 * back, and once the engine has finished, the sampler proposes random points instead of blocking.
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
    private final SplittableRandom rnd;
    private final Object lock = new Object();
    private final Deque<int[]> offered = new ArrayDeque<>();
    private final Set<String> outstanding = new HashSet<>();
    private final Map<String, Double> known = new HashMap<>();
    private final List<GenerationStats> stats = Collections.synchronizedList(new ArrayList<>());
    private SearchSpace space;
    private Thread engineThread;
    private boolean finished;
    private boolean closing;
    private volatile double mutationRate;

    public GeneticSampler(Config config, long seed) {
        this.config = config;
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
        this.mutationRate = config.mutationProbability();
    }

    /** Statistics of each finished generation. */
    public List<GenerationStats> generations() {
        return List.copyOf(stats);
    }

    @Override
    public int[] sample(SearchSpace s, List<Trial> history) {
        synchronized (lock) {
            if (engineThread == null) {
                start(s);
            }
            while (offered.isEmpty() && outstanding.isEmpty() && !finished) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!offered.isEmpty()) {
                int[] p = offered.poll();
                outstanding.add(SearchSpace.key(p));
                return p;
            }
            return s.random(rnd);
        }
    }

    @Override
    public void observe(SearchSpace s, Trial t) {
        synchronized (lock) {
            double v = t.hasValue() ? t.value() : Double.NEGATIVE_INFINITY;
            known.merge(t.key(), v, Math::max);
            outstanding.remove(t.key());
            lock.notifyAll();
        }
    }

    private void start(SearchSpace s) {
        this.space = s;
        Engine<DoubleGene, Double> engine = new Engine.Builder<DoubleGene, Double>(this::evaluate,
                Genotype.of(DoubleChromosome.of(0, 1, s.rank())))
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
        engineThread = new Thread(() -> run(engine), "graft-genetic-engine");
        engineThread.setDaemon(true);
        engineThread.start();
    }

    private void run(Engine<DoubleGene, Double> engine) {
        try {
            // the engine's own randomness (selection, crossover, mutation) is seeded on this thread
            io.jenetics.util.RandomRegistry.using(new java.util.SplittableRandom(seed), r -> {
                var stream = engine.stream().limit(Limits.byFixedGeneration(config.generations()));
                if (config.steadyGenerations() > 0) {
                    stream = stream.limit(Limits.<Double>bySteadyFitness(config.steadyGenerations()));
                }
                stream.forEach(this::record);
            });
        } catch (Stopped e) {
            // closed while waiting for a generation: nothing more to evolve
        } finally {
            synchronized (lock) {
                finished = true;
                lock.notifyAll();
            }
        }
    }

    private void record(EvolutionResult<DoubleGene, Double> r) {
        double best = r.bestFitness() == null ? Double.NaN : r.bestFitness();
        double mean = r.population().stream().mapToDouble(p -> p.fitness()).filter(Double::isFinite).average()
                .orElse(Double.NaN);
        stats.add(new GenerationStats(r.generation(), best, mean, mutationRate));
    }

    /** The batch evaluator: offers a generation's new points and waits for all of them. */
    private ISeq<Phenotype<DoubleGene, Double>> evaluate(Seq<Phenotype<DoubleGene, Double>> population) {
        synchronized (lock) {
            List<String> wanted = new ArrayList<>();
            for (Phenotype<DoubleGene, Double> p : population) {
                if (!p.isEvaluated()) {
                    int[] point = decode(p.genotype());
                    String key = SearchSpace.key(point);
                    if (!known.containsKey(key) && !wanted.contains(key)) {
                        wanted.add(key);
                        offered.add(point);
                    }
                }
            }
            lock.notifyAll();
            while (!wanted.stream().allMatch(known::containsKey)) {
                if (closing) {
                    throw new Stopped();
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    throw new Stopped();
                }
            }
            return population.map(p -> p.isEvaluated() ? p
                    : p.withFitness(known.get(SearchSpace.key(decode(p.genotype()))))).asISeq();
        }
    }

    private int[] decode(Genotype<DoubleGene> g) {
        int[] p = new int[space.rank()];
        DoubleChromosome c = (DoubleChromosome) g.chromosome();
        for (int i = 0; i < p.length; i++) {
            int size = space.dimensions().get(i).size();
            p[i] = Math.min(size - 1, (int) (c.get(i).doubleValue() * size));
        }
        return p;
    }

    /** Mutation, with the rate doubled while fewer than half of the individuals are distinct. */
    private AltererResult<DoubleGene, Double> mutate(Seq<Phenotype<DoubleGene, Double>> population, long generation) {
        double rate = config.mutationProbability();
        if (config.adaptiveMutation()) {
            Set<String> distinct = new HashSet<>();
            for (Phenotype<DoubleGene, Double> p : population) {
                distinct.add(SearchSpace.key(decode(p.genotype())));
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
        Thread t;
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
            t = engineThread;
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Unwinds the engine thread when the sampler closes mid-generation. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
