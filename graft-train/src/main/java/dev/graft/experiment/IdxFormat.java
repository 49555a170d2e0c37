package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import dev.graft.data.IdxReader;
import java.util.List;

/** {@code format: idx}: IDX images with IDX labels (class numbers), as MNIST ships. */
final class IdxFormat implements DataFormat {
    @Override
    public Samples samples() {
        return Samples.IMAGES;
    }

    @Override
    public boolean groupColumn() {
        return false;
    }

    @Override
    public boolean groupFiles() {
        return false;
    }

    @Override
    public Read read(Input in) {
        Examples pool = IdxReader.read(in.train(), TaskData.path(in.base(), in.d().trainLabels(),
                in.where() + ".train_labels"), 0, in.limits());
        Examples test = in.test() == null ? null : IdxReader.read(in.test(), TaskData.path(in.base(),
                in.d().testLabels(), in.where() + ".test_labels"), pool.classes(), in.limits());
        return new Read(pool, test, null, false, List.of(), null);
    }

    @Override
    public Examples readForPrediction(Input in, List<String> classes) {
        throw new GraftInputException(in.where() + ": idx data is read with TaskData.load");
    }
}
