package dev.graft.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.experiment.ExperimentConfig;
import dev.graft.experiment.ExperimentLoader;
import dev.graft.experiment.ExperimentRunner;
import dev.graft.experiment.Prepared;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A worker JVM of {@link WorkerPoolExecutor}. It loads the experiment once, then answers one
 * JSON line per request on standard input:
 * <pre>
 *   in:  {"point":[...],"wait":true}          out: {"epoch":e,"value":v}  (per epoch, then reads a decision)
 *   in:  {"continue":true|false}               ...
 *                                              out: {"value":v,"state":"COMPLETE","message":"","objectives":[...]}
 *   in:  {"point":[...],"wait":false}         out: {"value":v,...,"intermediate":[v0,v1,...]}  (no pruner)
 * </pre>
 * Everything else the engine prints goes to standard error.
 */
public final class TrialWorker {
    private TrialWorker() {}

    /** Arguments: experiment file, shots, seed, metric; settings come from the experiment's search section. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        Path file = Path.of(args[0]);
        ExperimentConfig c = ExperimentLoader.read(file);
        SearchSettings s = SearchSettings.of(c, file + ": search");
        Prepared p = ExperimentRunner.prepare(c, file, ExperimentRunner.Progress.NONE);
        PolicySpace space = new PolicySpace(p.layout(), s.choices());
        LocalExecutor local = new LocalExecutor(new PolicyObjective(p, space, s.shots(), s.seed(), s.metric(),
                s.newCache()).withObjectives(s.objectives()).withFitness(s.fitness()));
        ObjectMapper json = new ObjectMapper();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("{\"ready\":true}");
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode req = json.readTree(line);
            int[] point = new int[req.path("point").size()];
            for (int i = 0; i < point.length; i++) {
                point[i] = req.path("point").get(i).asInt();
            }
            boolean wait = req.path("wait").asBoolean(true);
            // without a pruner nobody decides per epoch: the values travel with the result
            var batched = json.createArrayNode();
            TrialExecutor.Evaluation e = local.evaluate(point, (epoch, value) -> {
                if (!wait) {
                    batched.add(value);
                    return true;
                }
                out.println(json.createObjectNode().put("epoch", epoch).put("value", value));
                try {
                    String reply = in.readLine();
                    return reply != null && json.readTree(reply).path("continue").asBoolean(true);
                } catch (java.io.IOException ex) {
                    return false;
                }
            });
            ObjectNode res = json.createObjectNode().put("state", e.state().name()).put("message", e.message());
            if (!Double.isNaN(e.value())) {
                res.put("value", e.value());
            }
            if (!Double.isNaN(e.stderr())) {
                res.put("stderr", e.stderr());
            }
            var objectives = res.putArray("objectives");
            for (double v : e.objectives()) {
                objectives.add(v);
            }
            if (!wait) {
                res.set("intermediate", batched);
            }
            out.println(res);
        }
    }
}
