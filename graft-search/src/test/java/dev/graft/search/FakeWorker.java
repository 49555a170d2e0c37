package dev.graft.search;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A stand-in for {@link TrialWorker} that starts in an instant: every trial completes with 0.5 after one epoch. */
public final class FakeWorker {
    private FakeWorker() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println(TrialCodec.encode(new TrialMessage.Ready()));
        System.out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            TrialRequest r = TrialCodec.decode(line, TrialRequest.class);
            System.out.println(TrialCodec.encode(new TrialMessage.Epoch(r.id(), 0, 0.5)));
            System.out.flush();
            if (r.waitForDecisions()) {
                in.readLine();
            }
            System.out.println(TrialCodec.encode(new TrialResult(r.id(), TrialState.COMPLETE, 0.5, "", new double[0],
                    Double.NaN, List.of(0.5), 0, 0, null)));
            System.out.flush();
        }
    }
}
