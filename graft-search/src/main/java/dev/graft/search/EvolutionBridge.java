package dev.graft.search;

import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.jenetics.util.Seq;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a Jenetics engine against a study: the engine evolves on its own thread and evaluates
 * each generation through {@link #evaluate}, which offers the generation's new points to the
 * study (through {@link #sample}) and waits until the study has told them all back (through
 * {@link #observe}). Shared by the single-objective genetic algorithm and NSGA-II, which differ
 * only in their fitness type and selectors.
 *
 * <p>A genotype is one {@code [0, 1)} gene per dimension (choice = ⌊gene·size⌋), so crossover
 * cuts between dimensions. Points seen before are answered from memory and cost no trial. When
 * every point of the running generation is out and not all are back, and once the engine has
 * finished, {@link #sample} proposes random points instead of blocking.
 *
 * @param <C> the fitness type
 */
final class EvolutionBridge<C extends Comparable<? super C>> {
    private final Object lock = new Object();
    private final Deque<int[]> offered = new ArrayDeque<>();
    private final Set<String> outstanding = new HashSet<>();
    private final Map<String, C> known = new HashMap<>();
    private final Function<Trial, C> fitness;
    private final BinaryOperator<C> merge;
    private final SplittableRandom rnd;
    private SearchSpace space;
    private Thread engineThread;
    private boolean finished;
    private boolean closing;

    /**
     * @param fitness a finished trial's fitness (failed trials included)
     * @param merge which fitness a point keeps when it was evaluated twice
     */
    EvolutionBridge(long seed, Function<Trial, C> fitness, BinaryOperator<C> merge) {
        this.rnd = new SplittableRandom(seed);
        this.fitness = fitness;
        this.merge = merge;
    }

    /** The genotype shape for {@code space}. */
    static Genotype<DoubleGene> genotype(SearchSpace space) {
        return Genotype.of(DoubleChromosome.of(0, 1, space.rank()));
    }

    /** The next point: from the running generation, or random; {@code start} builds and launches the engine once. */
    int[] sample(SearchSpace s, Consumer<SearchSpace> start) {
        synchronized (lock) {
            if (engineThread == null) {
                space = s;
                start.accept(s);
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

    void observe(Trial t) {
        synchronized (lock) {
            known.merge(t.key(), fitness.apply(t), merge);
            outstanding.remove(t.key());
            lock.notifyAll();
        }
    }

    /** Runs {@code body} (the engine's stream) on a daemon thread; a close mid-generation ends it quietly. */
    void launch(String name, Runnable body) {
        engineThread = new Thread(() -> {
            try {
                body.run();
            } catch (Stopped e) {
                // closed while waiting for a generation: nothing more to evolve
            } finally {
                synchronized (lock) {
                    finished = true;
                    lock.notifyAll();
                }
            }
        }, name);
        engineThread.setDaemon(true);
        engineThread.start();
    }

    /** The batch evaluator: offers a generation's new points and waits for all of them. */
    ISeq<Phenotype<DoubleGene, C>> evaluate(Seq<Phenotype<DoubleGene, C>> population) {
        synchronized (lock) {
            List<String> wanted = new ArrayList<>();
            for (Phenotype<DoubleGene, C> p : population) {
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

    int[] decode(Genotype<DoubleGene> g) {
        int[] p = new int[space.rank()];
        DoubleChromosome c = (DoubleChromosome) g.chromosome();
        for (int i = 0; i < p.length; i++) {
            int size = space.dimensions().get(i).size();
            p[i] = Math.min(size - 1, (int) (c.get(i).doubleValue() * size));
        }
        return p;
    }

    /** Stops the engine thread and waits for it. */
    void close() {
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
    static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
