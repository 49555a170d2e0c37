package dev.graft.experiment;

import dev.graft.GraftInputException;
import dev.graft.data.Examples;
import dev.graft.data.ImageFolderReader;
import dev.graft.experiment.ExperimentConfig.DataSection;
import dev.graft.experiment.ExperimentConfig.GroupsSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code format: folder}: one subfolder of images per class (see {@link ImageFolderReader}). */
final class FolderFormat implements DataFormat {
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
        return true;
    }

    @Override
    public Read read(Input in) {
        DataSection d = in.d();
        Size s = size(d, in.where());
        List<String> hidden = new ArrayList<>();
        GroupsSection groups = d.groups();
        String groupsKey = in.where() + ".groups";
        Path trainPath = in.train();
        ImageFolderReader.Result r = ImageFolderReader.read(trainPath, s.width, s.height, s.gray, null, in.limits());
        Examples pool = r.examples();
        List<String> names = r.classNames();
        r.hidden().forEach(x -> hidden.add(trainPath.getFileName() + "/" + x));
        if (groups != null && groups.byFile() != null) {
            pool = pool.withGroups(TaskGroups.byFile(groups.byFile(), r.files(), trainPath, groupsKey));
        }
        TaskData.Named named = TaskData.named(pool, names, false, d.classNames());
        pool = named.pool();
        names = named.names();
        Examples test = null;
        if (in.test() != null) {
            Path testPath = in.test();
            ImageFolderReader.Result t = ImageFolderReader.read(testPath, s.width, s.height, s.gray, names, in.limits());
            test = t.examples();
            if (groups != null && groups.byFile() != null) {
                test = test.withGroups(TaskGroups.byFile(groups.byFile(), t.files(), testPath, groupsKey));
            }
            t.hidden().forEach(x -> hidden.add(testPath.getFileName() + "/" + x));
        }
        return new Read(pool, test, names, named.byClassNames(), hidden, null);
    }

    @Override
    public Examples readForPrediction(Input in, List<String> classes) {
        Size s = size(in.d(), in.where());
        return classes == null ? ImageFolderReader.readLoose(in.train(), s.width, s.height, s.gray, in.limits()).examples()
                : ImageFolderReader.read(in.train(), s.width, s.height, s.gray, classes, in.limits()).examples();
    }

    private record Size(int width, int height, boolean gray) {}

    private static Size size(DataSection d, String where) {
        var img = d.image();
        return new Size(side(img == null ? null : img.width(), where + ".image.width"),
                side(img == null ? null : img.height(), where + ".image.height"),
                img != null && Boolean.TRUE.equals(img.grayscale()));
    }

    /** An image side: 32 by default, at most 4096. */
    private static int side(Integer value, String where) {
        if (value == null) {
            return 32;
        }
        if (value <= 0 || value > 4096) {
            throw new GraftInputException(where + ": must be between 1 and 4096, got " + value);
        }
        return value;
    }
}
