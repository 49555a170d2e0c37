package dev.graft.search;

import dev.graft.experiment.SearchTrace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a search as it runs for the report's trace: each trial's value, the best so far, and
 * the sampler's own state (annealing's temperature when it proposed the trial, the genetic
 * algorithm's generation statistics). Thread-safe: parallel trial loops share one.
 */
final class TraceRecorder {
    private final Sampler sampler;
    private final Map<Integer, Double> temperatures = new HashMap<>();
    private final List<SearchTrace.Point> points = new ArrayList<>();
    private double best = Double.NaN;

    TraceRecorder(Sampler sampler) {
        this.sampler = sampler;
    }

    /** A trial was just asked for. */
    synchronized void proposed(Trial t) {
        if (sampler instanceof AnnealingSampler a) {
            temperatures.put(t.number(), a.temperature());
        }
    }

    /** A trial finished; {@code policy} is its one-line summary. */
    synchronized void finished(Trial t, String policy) {
        if (t.hasValue() && (Double.isNaN(best) || t.value() > best)) {
            best = t.value();
        }
        points.add(new SearchTrace.Point(t.number(), t.state().name().toLowerCase(java.util.Locale.ROOT), t.value(),
                best, temperatures.getOrDefault(t.number(), Double.NaN), policy));
    }

    /** The trace so far. */
    synchronized SearchTrace trace(String samplerName, String metric) {
        List<SearchTrace.Generation> generations = new ArrayList<>();
        if (sampler instanceof GeneticSampler g) {
            for (GeneticSampler.GenerationStats s : g.generations()) {
                generations.add(new SearchTrace.Generation(s.generation(), s.best(), s.mean(), s.mutationRate()));
            }
        }
        return new SearchTrace(samplerName, metric, points, generations);
    }
}
