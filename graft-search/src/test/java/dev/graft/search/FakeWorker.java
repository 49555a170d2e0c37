package dev.graft.search;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** A stand-in for {@link TrialWorker} that starts in an instant: every trial completes with 0.5. */
public final class FakeWorker {
    private FakeWorker() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("{\"ready\":true}");
        System.out.flush();
        while (in.readLine() != null) {
            System.out.println("{\"state\":\"COMPLETE\",\"message\":\"\",\"value\":0.5,\"objectives\":[],"
                    + "\"intermediate\":[0.5]}");
            System.out.flush();
        }
    }
}
