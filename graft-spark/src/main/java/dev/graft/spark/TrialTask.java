package dev.graft.spark;

import dev.graft.search.TrialCodec;
import dev.graft.search.TrialMessage;
import dev.graft.search.TrialRequest;
import dev.graft.search.TrialResult;
import dev.graft.search.TrialRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.apache.spark.api.java.function.Function;

/**
 * A Spark task that runs one trial on an executor: it takes a {@link TrialRequest} line, reports
 * each epoch over the driver's {@link EpochChannel} (waiting for the answer when the request asks),
 * and returns the {@link TrialResult} line. The executor JVM keeps one {@link TrialRunner}, so an
 * experiment is prepared once per executor.
 */
final class TrialTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;
    // one per executor JVM: the prepared experiments outlive a task
    private static final TrialRunner RUNNER = new TrialRunner();
    private final String host;
    private final int port;

    TrialTask(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public String call(String line) throws IOException {
        TrialRequest r = TrialCodec.decode(line, TrialRequest.class);
        try (Socket s = new Socket(host, port);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8),
                        true)) {
            s.setTcpNoDelay(true);
            TrialResult result = RUNNER.run(r, (epoch, value) -> {
                out.println(TrialCodec.encode(new TrialMessage.Epoch(r.id(), epoch, value)));
                try {
                    String reply = in.readLine();
                    // without a pruner the answer is always "go on", but the value must reach the
                    // driver before the next epoch anyway, so the study hears it as it trains
                    return reply != null && TrialCodec.decode(reply, TrialMessage.Decision.class).proceed();
                } catch (IOException e) {
                    return false;
                }
            });
            return TrialCodec.encode(result);
        }
    }
}
