package dev.graft.search;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A worker JVM of {@link WorkerPoolExecutor}: says {@link TrialMessage.Ready}, then answers each
 * {@link TrialRequest} on standard input with {@link TrialMessage.Epoch} values (each answered by a
 * {@link TrialMessage.Decision} when the request waits for one) and a {@link TrialResult} on
 * standard output, one {@link TrialCodec} line each. It prepares an experiment when a request first
 * names it. Everything else the engine prints goes to standard error. No arguments.
 */
public final class TrialWorker {
    private TrialWorker() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        TrialRunner runner = new TrialRunner();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println(TrialCodec.encode(new TrialMessage.Ready()));
        String line;
        while ((line = in.readLine()) != null) {
            TrialRequest r = TrialCodec.decode(line, TrialRequest.class);
            TrialResult result = runner.run(r, (epoch, value) -> {
                out.println(TrialCodec.encode(new TrialMessage.Epoch(r.id(), epoch, value)));
                if (!r.waitForDecisions()) {
                    return true;
                }
                try {
                    String reply = in.readLine();
                    return reply != null && TrialCodec.decode(reply, TrialMessage.Decision.class).proceed();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            out.println(TrialCodec.encode(result));
        }
    }
}
