package dev.graft.model.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.graft.checkpoint.Dims;
import dev.graft.checkpoint.OnnxFile;
import dev.graft.checkpoint.Tensor;
import dev.graft.engine.Engines;
import dev.graft.model.GraftModel;
import dev.graft.model.ModelLayout;
import dev.graft.model.ModelSpec;
import dev.graft.model.ParamInfo;
import dev.graft.model.SequentialLayer;
import dev.graft.transfer.Initializer;
import dev.graft.transfer.Mode;
import dev.graft.transfer.TensorMatch;
import dev.graft.transfer.TransferPlan;
import dev.graft.transfer.TransferReport;
import dev.graft.transfer.TransferResult;
import dev.graft.transfer.TransferRule;
import dev.graft.transfer.Transferor;
import dev.graft.transfer.Transform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bert family on a real export, all-MiniLM-L6-v2 (langchain4j's test-scope jar): its config
 * read off the ONNX graph, its tensors transferred one to one, and Graft's encoder against ONNX
 * Runtime running the file itself on the same token ids (last_hidden_state within 1e-4 at every
 * position, padding included).
 */
class BertOnnxTest {
    /** Token ids of the bert-base-uncased vocabulary: [CLS] 101, [SEP] 102, "hello" 7592, "world" 2088. */
    static final long[][] IDS = {
        {101, 7592, 2088, 102, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {101, 1996, 4937, 2938, 2006, 1996, 13523, 1998, 2134, 2102, 2175, 2185, 2153, 3376, 1012, 102},
        {101, 2023, 2003, 1037, 2460, 6251, 1012, 102, 0, 0, 0, 0, 0, 0, 0, 0},
    };
    static final int LENGTH = 16;

    @TempDir
    static Path dir;
    static Path file;

    @BeforeAll
    static void copyModel() throws IOException {
        file = dir.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = BertOnnxTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the test classpath");
            }
            Files.copy(in, file);
        }
    }

    @Test
    void theConfigReadOffTheGraphIsMiniLmsKnownConfig() {
        // sentence-transformers/all-MiniLM-L6-v2's config.json; dropout and pad id are BERT's defaults
        assertEquals(new BertConfig(384, 6, 12, 1536, 30522, 512, 2, 1e-12, 0.1, 0.1, 0), BertConfig.read(file));
    }

    @Test
    void lastHiddenStatesMatchOnnxRuntimeAtEveryPosition() throws OrtException {
        float[][][] expected = onnxRuntime();
        BertConfig c = BertConfig.read(file);
        ModelLayout layout = ModelLayout.of(new ModelSpec("minilm", file.toString(), new Dims(LENGTH),
                new SequentialLayer("", BertFamily.encoder(c))));
        float[] ids = new float[IDS.length * LENGTH];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = IDS[i / LENGTH][i % LENGTH];
        }
        try (OnnxFile onnx = OnnxFile.open(file); NDManager m = Engines.pytorch().newBaseManager();
                GraftModel model = GraftModel.build(layout, m)) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (ParamInfo p : layout.params()) {
                Tensor t = onnx.read(p.name());
                state.put(p.name(), Tensor.ofFloats(t.dims(), t.toFloats()));
            }
            model.load(state);
            float[] out = model.predict(m.create(ids, new ai.djl.ndarray.types.Shape(IDS.length, LENGTH))).toFloatArray();
            double worst = 0;
            for (int b = 0; b < IDS.length; b++) {
                for (int t = 0; t < LENGTH; t++) {
                    int at = (b * LENGTH + t) * 385;
                    for (int j = 0; j < 384; j++) {
                        worst = Math.max(worst, Math.abs(expected[b][t][j] - out[at + j]));
                    }
                    assertEquals(IDS[b][t] == 0 ? 0f : 1f, out[at + 384], "mask of sequence " + b + " token " + t);
                }
            }
            assertTrue(worst < 1e-4, "largest difference from ONNX Runtime: " + worst);
        }
    }

    /** ONNX Runtime's last_hidden_state [3, 16, 384] for {@link #IDS} (mask: id != 0; token types 0). */
    private static float[][][] onnxRuntime() throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[][] mask = new long[IDS.length][LENGTH];
        for (int b = 0; b < IDS.length; b++) {
            for (int t = 0; t < LENGTH; t++) {
                mask[b][t] = IDS[b][t] == 0 ? 0 : 1;
            }
        }
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(file.toString(), opts);
                    OnnxTensor ids = OnnxTensor.createTensor(env, IDS);
                    OnnxTensor attention = OnnxTensor.createTensor(env, mask);
                    OnnxTensor types = OnnxTensor.createTensor(env, new long[IDS.length][LENGTH])) {
                assertEquals(java.util.Set.of("input_ids", "attention_mask", "token_type_ids"),
                        session.getInputNames());
                try (OrtSession.Result r = session.run(Map.of("input_ids", ids, "attention_mask", attention,
                        "token_type_ids", types))) {
                    return (float[][][]) r.get("last_hidden_state").orElseThrow().getValue();
                }
            }
        }
    }

    @Test
    void theExportTransfersOneToOneWithOnlyTheClassifierNew() {
        ModelLayout layout = ModelLayout.of(BertFamily.spec(BertConfig.read(file), 2, BertFamily.Pooling.MEAN,
                LENGTH, file.toString()));
        TransferRule head = new TransferRule(TensorMatch.regex("classifier\\..*"), Optional.empty(), new Transform.Copy(),
                new Mode.Reinit(Initializer.DEFAULT), Optional.empty());
        try (OnnxFile onnx = OnnxFile.open(file)) {
            TransferResult r = Transferor.apply(onnx, layout, new TransferPlan(List.of(head), true, 0), false);
            TransferReport report = r.report();
            assertEquals(List.of("embeddings.position_ids"), report.unusedSource());
            for (TransferReport.Row row : report.rows()) {
                if (row.target().startsWith("classifier.")) {
                    assertEquals(0, row.transferred(), row.toString());
                } else {
                    assertEquals(Optional.of(row.target()), row.source(), row.toString());
                    assertEquals(row.total(), row.transferred(), row.toString());
                }
            }
            // the export's 101 parameters (BertModel without its pooler) and the new classifier's 2
            assertEquals(103, report.rows().size());
        }
    }
}
