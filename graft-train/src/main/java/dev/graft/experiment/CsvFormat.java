package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.CsvReader;
import dev.graft.data.Examples;
import dev.graft.data.Groups;
import dev.graft.experiment.ExperimentConfig.DataSection;
import java.util.List;

/** {@code format: csv}: numeric feature columns and a label column (see {@link CsvReader}). */
final class CsvFormat implements DataFormat {
    @Override
    public Samples samples() {
        return Samples.FEATURES;
    }

    @Override
    public boolean groupColumn() {
        return true;
    }

    @Override
    public boolean groupFiles() {
        return false;
    }

    @Override
    public Read read(Input in) {
        DataSection d = in.d();
        String label = d.csv() == null ? null : d.csv().label();
        boolean header = header(d);
        String groupColumn = d.groups() == null ? null : d.groups().column();
        CsvReader.Result r = CsvReader.read(in.train(), label, groupColumn, header, null, in.limits());
        TaskData.Named named = TaskData.named(r.examples(), r.classNames(), r.numbered(), d.classNames());
        Examples pool = named.pool();
        List<String> names = named.names();
        Examples test = null;
        List<String> testTags = null;
        if (in.test() != null) {
            CsvReader.Result t = CsvReader.read(in.test(), label, groupColumn, header, names, in.limits());
            // columns are matched by position: a reordered header would swap features silently
            if (header && !t.columns().equals(r.columns())) {
                throw new GraftInputException(in.test() + ": line 1: the columns (" + String.join(", ", t.columns())
                        + ") differ from the training file's (" + String.join(", ", r.columns()) + ")");
            }
            test = t.examples();
            testTags = t.groups();
        }
        if (groupColumn != null) {
            Groups[] g = TaskGroups.fromValues(r.groups(), testTags);
            pool = pool.withGroups(g[0]);
            test = test == null ? null : test.withGroups(g[1]);
        }
        return new Read(pool, test, r.numbered() ? null : names, named.byClassNames(), List.of(), null);
    }

    @Override
    public Examples readForPrediction(Input in, List<String> classes) {
        DataSection d = in.d();
        // a group column is neither a feature nor the label; a file without it is refused by name
        String groupColumn = d.groups() == null ? null : d.groups().column();
        return classes == null ? CsvReader.readFeatures(in.train(), groupColumn, header(d), in.limits()).examples()
                : CsvReader.read(in.train(), d.csv() == null ? null : d.csv().label(), groupColumn, header(d), classes,
                        in.limits()).examples();
    }

    private static boolean header(DataSection d) {
        return d.csv() == null || d.csv().header() == null || d.csv().header();
    }
}
