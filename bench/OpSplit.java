import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sets two operator-level profiles of the same training step side by side: Graft's (libtorch's
 * autograd profiler through DJL, bench/StepBench.java ops) and PyTorch's (torch.profiler,
 * bench/torch_ops.py). Both are Chrome traces of complete events ({@code ph: X}, microseconds).
 * Each event's self time is its duration less its children's (events nested in it on the same
 * thread). Its phase is that of its outermost event: "backward" for an
 * {@code autograd::engine::evaluate_function}, "optimizer" for PyTorch's {@code Optimizer.step} and
 * {@code zero_grad} annotations, else "forward + rest". Graft's engine calls carry no such mark, so
 * in a trace without them the optimizer is found by position: the run of element-wise operators
 * (OPTIMIZER_OPS) right after each backward pass. "between operators" is the time of the profiled
 * span covered by no event: the host language's own work (Java and JNI, or Python) around the
 * engine's calls.
 *
 * <p>Usage: {@code java -cp CP bench/OpSplit.java GRAFT.json GRAFT_STEPS TORCH.json TORCH_STEPS [ROWS]}
 * (ROWS, default 25: the operators with the largest self time on either side). Prints a Markdown
 * table in ms per step.
 */
public class OpSplit {
    record Event(String name, double ts, double dur, long tid) {}

    /** The operators Graft's Optimizer issues (bench/StepBench.java ops), the batch's clones included. */
    static final java.util.Set<String> OPTIMIZER_OPS = java.util.Set.of("aten::clone", "aten::square", "aten::pow",
            "aten::mul_", "aten::mul", "aten::add_", "aten::add", "aten::div", "aten::div_", "aten::sqrt", "aten::sub_",
            "aten::sub", "aten::zero_", "aten::fill_", "aten::copy_");

    record Row(double selfUs, long calls) {
        Row plus(double us) {
            return new Row(selfUs + us, calls + 1);
        }
    }

    record Profile(Map<String, Row> byOp, Map<String, Double> byPhase, double spanUs, double betweenUs) {}

    public static void main(String[] args) throws Exception {
        Profile graft = read(Path.of(args[0]));
        int graftSteps = Integer.parseInt(args[1]);
        Profile torch = read(Path.of(args[2]));
        int torchSteps = Integer.parseInt(args[3]);
        int rows = args.length > 4 ? Integer.parseInt(args[4]) : 25;
        TreeSet<String> keys = new TreeSet<>(graft.byOp().keySet());
        keys.addAll(torch.byOp().keySet());
        List<String> top = new ArrayList<>(keys);
        top.sort(Comparator.comparingDouble((String k) -> -Math.max(ms(graft, k, graftSteps), ms(torch, k, torchSteps))));
        System.out.println("| operator (phase) | Graft ms/step | calls/step | PyTorch ms/step | calls/step | Graft − PyTorch |");
        System.out.println("|---|---|---|---|---|---|");
        for (String k : top.subList(0, Math.min(rows, top.size()))) {
            double g = ms(graft, k, graftSteps);
            double t = ms(torch, k, torchSteps);
            System.out.println(String.format(Locale.ROOT, "| %s | %.2f | %s | %.2f | %s | %+.2f |", k, g,
                    calls(graft, k, graftSteps), t, calls(torch, k, torchSteps), g - t));
        }
        double restG = 0;
        double restT = 0;
        for (String k : top.subList(Math.min(rows, top.size()), top.size())) {
            restG += ms(graft, k, graftSteps);
            restT += ms(torch, k, torchSteps);
        }
        System.out.println(String.format(Locale.ROOT, "| all other operators | %.2f | | %.2f | | %+.2f |", restG, restT,
                restG - restT));
        for (String phase : List.of("forward + rest", "backward", "optimizer")) {
            double g = graft.byPhase().getOrDefault(phase, 0.0) / 1000 / graftSteps;
            double t = torch.byPhase().getOrDefault(phase, 0.0) / 1000 / torchSteps;
            System.out.println(String.format(Locale.ROOT, "| **%s, all operators** | %.2f | | %.2f | | %+.2f |", phase, g,
                    t, g - t));
        }
        double bg = graft.betweenUs() / 1000 / graftSteps;
        double bt = torch.betweenUs() / 1000 / torchSteps;
        System.out.println(String.format(Locale.ROOT, "| **between operators (Java / Python)** | %.2f | | %.2f | | %+.2f |",
                bg, bt, bg - bt));
        double sg = graft.spanUs() / 1000 / graftSteps;
        double st = torch.spanUs() / 1000 / torchSteps;
        System.out.println(String.format(Locale.ROOT, "| **profiled span** | %.2f | | %.2f | | %+.2f |", sg, st, sg - st));
    }

    static double ms(Profile p, String key, int steps) {
        Row r = p.byOp().get(key);
        return r == null ? 0 : r.selfUs() / 1000 / steps;
    }

    static String calls(Profile p, String key, int steps) {
        Row r = p.byOp().get(key);
        return r == null ? "-" : String.format(Locale.ROOT, "%.1f", (double) r.calls() / steps);
    }

    static Profile read(Path file) throws Exception {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode list = root.isArray() ? root : root.get("traceEvents");
        Map<Long, List<Event>> byThread = new HashMap<>();
        for (JsonNode e : list) {
            if (!"X".equals(e.path("ph").asText()) || "python_function".equals(e.path("cat").asText())) {
                continue;
            }
            Event ev = new Event(e.get("name").asText(), e.get("ts").asDouble(), e.get("dur").asDouble(),
                    e.path("tid").asLong());
            byThread.computeIfAbsent(ev.tid(), t -> new ArrayList<>()).add(ev);
        }
        // the thread that ran the step is the one with the most events (libtorch's intra-op pool reports none)
        List<Event> events = byThread.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
        events.sort(Comparator.comparingDouble(Event::ts).thenComparing(Comparator.comparingDouble(Event::dur).reversed()));
        Map<String, Row> byOp = new HashMap<>();
        Map<String, Double> byPhase = new HashMap<>();
        Deque<Event> stack = new ArrayDeque<>();
        Map<Event, Double> childUs = new HashMap<>();
        double covered = 0;
        double coveredEnd = Double.NEGATIVE_INFINITY;
        double first = events.get(0).ts();
        double last = first;
        boolean annotated = events.stream().anyMatch(e -> e.name().startsWith("Optimizer."));
        String phase = "forward + rest";
        for (Event e : events) {
            while (!stack.isEmpty() && stack.peek().ts() + stack.peek().dur() <= e.ts()) {
                close(stack.pop(), phase, childUs, byOp, byPhase);
            }
            if (!stack.isEmpty()) {
                childUs.merge(stack.peek(), e.dur(), Double::sum);
            } else {
                if (e.ts() + e.dur() > coveredEnd) {
                    covered += e.ts() + e.dur() - Math.max(e.ts(), coveredEnd);
                    coveredEnd = e.ts() + e.dur();
                }
                phase = topPhase(e, phase, annotated);
            }
            stack.push(e);
            last = Math.max(last, e.ts() + e.dur());
        }
        while (!stack.isEmpty()) {
            close(stack.pop(), phase, childUs, byOp, byPhase);
        }
        return new Profile(byOp, byPhase, last - first, last - first - covered);
    }

    /** The phase of an outermost event, given the phase of the outermost event before it. */
    static String topPhase(Event e, String before, boolean annotated) {
        if (e.name().startsWith("autograd::engine::evaluate_function")) {
            return "backward";
        }
        if (e.name().startsWith("Optimizer.")) {
            return "optimizer";
        }
        boolean optimizerRun = before.equals("backward") || before.equals("optimizer");
        return !annotated && optimizerRun && OPTIMIZER_OPS.contains(e.name()) ? "optimizer" : "forward + rest";
    }

    static void close(Event e, String phase, Map<Event, Double> childUs, Map<String, Row> byOp,
            Map<String, Double> byPhase) {
        double self = Math.max(0, e.dur() - childUs.getOrDefault(e, 0.0));
        childUs.remove(e);
        byOp.merge(e.name() + " (" + phase + ")", new Row(self, 1), (a, b) -> a.plus(b.selfUs()));
        byPhase.merge(phase, self, Double::sum);
    }
}
