package dev.graft.data;

import dev.graft.checkpoint.Dims;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a folder with one subfolder per class (sorted by name) of PNG or JPEG images, resized
 * (bilinear) to a fixed size, as {@code [3, H, W]} RGB or {@code [1, H, W]} grayscale in [0, 1].
 * A folder read against a class list fixed elsewhere (the training folder's) maps its subfolders
 * onto that list by name. Hidden entries (a name starting with a dot: {@code .ipynb_checkpoints},
 * {@code .DS_Store}, macOS's {@code ._x.png}) are skipped at both levels and listed in the result:
 * counted as a class, a hidden folder would shift every class index after it. Each image's size
 * is read from its header and checked against {@link DataLimits} before it is decoded. Stateless
 * and thread-safe.
 */
public final class ImageFolderReader {
    private ImageFolderReader() {}

    /**
     * The images and the class (subfolder) names in class order.
     *
     * @param folders the class subfolders found, sorted (a subset of the classes when read against
     *     a fixed class list)
     * @param hidden the hidden entries skipped, relative to the folder ({@code .ipynb_checkpoints},
     *     {@code cat/.DS_Store}), sorted
     * @param files each sample's file name (without its folder), in sample order
     */
    public record Result(Examples examples, List<String> classNames, List<String> folders, List<String> hidden,
            List<String> files) {}

    /**
     * Reads a folder with its own classes and the default limits.
     *
     * @throws DataException if the folder is missing, has no classes, or an image cannot be decoded
     *     or is too large
     */
    public static Result read(Path dir, int width, int height, boolean grayscale) {
        return read(dir, width, height, grayscale, null, DataLimits.DEFAULT);
    }

    /**
     * Reads a folder, mapping its subfolders onto {@code classes} by name when given.
     *
     * @param classes the class list fixed by training; every subfolder must be named after one of
     *     them (some may be missing); null makes the sorted subfolders the classes
     * @throws DataException if the folder is missing, has no classes, a subfolder is not one of
     *     {@code classes}, or an image cannot be decoded or is too large
     */
    public static Result read(Path dir, int width, int height, boolean grayscale, List<String> classes,
            DataLimits limits) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such folder");
        }
        List<String> hidden = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        for (Path p : list(dir)) {
            if (hidden(p)) {
                hidden.add(p.getFileName().toString());
            } else if (Files.isDirectory(p)) {
                folders.add(p);
            }
        }
        if (folders.isEmpty()) {
            throw new DataException(dir + ": no class subfolders" + (hidden.isEmpty() ? ""
                    : " (hidden entries are skipped: " + String.join(", ", hidden) + ")"));
        }
        List<String> names = classes != null ? List.copyOf(classes)
                : folders.stream().map(p -> p.getFileName().toString()).toList();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            int c = names.indexOf(name);
            if (c < 0) {
                throw new DataException(folder + ": class '" + name + "' is not a training class "
                        + ClassLabels.preview(names));
            }
            for (Path f : images(folder, hidden)) {
                files.add(f);
                labels.add(c);
            }
        }
        int channels = grayscale ? 1 : 3;
        long per = (long) channels * width * height;
        limits.checkValues(dir, files.size() + " images of " + channels + "×" + height + "×" + width,
                Math.max(1, files.size()) * per);
        int d = (int) per;
        float[] all = new float[files.size() * d];
        for (int i = 0; i < files.size(); i++) {
            System.arraycopy(pixels(files.get(i), width, height, grayscale, limits), 0, all, i * d, d);
        }
        return new Result(new Examples(new Dims(channels, height, width), all,
                labels.stream().mapToInt(Integer::intValue).toArray(), names.size()), names,
                folders.stream().map(p -> p.getFileName().toString()).toList(), hidden.stream().sorted().toList(),
                files.stream().map(p -> p.getFileName().toString()).toList());
    }

    /**
     * Reads the PNG and JPEG files directly inside {@code dir} (no class folders), sorted by name,
     * for prediction; hidden entries are skipped.
     *
     * @return the samples (all labelled 0) and the files' names in order
     * @throws DataException if the folder is missing or holds no image, or an image is too large or corrupt
     */
    public static Result readLoose(Path dir, int width, int height, boolean grayscale, DataLimits limits) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such folder");
        }
        List<String> hidden = new ArrayList<>();
        List<Path> files = images(dir, hidden);
        if (files.isEmpty()) {
            throw new DataException(dir + ": no PNG or JPEG images in it");
        }
        int channels = grayscale ? 1 : 3;
        int d = channels * width * height;
        limits.checkValues(dir, files.size() + " images of " + d + " values", (long) files.size() * d);
        float[] all = new float[files.size() * d];
        for (int i = 0; i < files.size(); i++) {
            System.arraycopy(pixels(files.get(i), width, height, grayscale, limits), 0, all, i * d, d);
        }
        return new Result(new Examples(new Dims(channels, height, width), all, new int[files.size()], 1), List.of(),
                files.stream().map(p -> p.getFileName().toString()).toList(), hidden.stream().sorted().toList(),
                files.stream().map(p -> p.getFileName().toString()).toList());
    }

    /** Whether an entry is hidden: its name starts with a dot (the Unix rule, which macOS and Jupyter follow). */
    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    /** The entries of a folder, sorted by name. */
    private static List<Path> list(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new DataException(folder + ": cannot list: " + e.getMessage());
        }
    }

    /** The PNG and JPEG files of a class folder, sorted; hidden ones are added to {@code hidden}. */
    private static List<Path> images(Path folder, List<String> hidden) {
        List<Path> out = new ArrayList<>();
        for (Path p : list(folder)) {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (hidden(p)) {
                hidden.add(folder.getFileName() + "/" + p.getFileName());
            } else if (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")) {
                out.add(p);
            }
        }
        return out;
    }

    /** Decodes one image after checking the size its header states. */
    private static BufferedImage decode(Path file, DataLimits limits) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DataException(file + ": not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > limits.maxImagePixels()) {
                    throw new DataException(file + ": too large (" + w + "×" + h + " pixels; the limit is "
                            + limits.maxImagePixels() + ", data.limits.max_image_pixels)");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException de) {
                throw de;
            }
            // decoders throw unchecked exceptions on some corrupt files too
            throw new DataException(file + ": cannot decode image: " + e.getMessage());
        }
    }

    private static float[] pixels(Path file, int width, int height, boolean grayscale, DataLimits limits) {
        BufferedImage img = decode(file, limits);
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, width, height, null);
        g.dispose();
        int channels = grayscale ? 1 : 3;
        float[] out = new float[channels * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = scaled.getRGB(x, y);
                float r = ((rgb >> 16) & 0xFF) / 255f;
                float gr = ((rgb >> 8) & 0xFF) / 255f;
                float b = (rgb & 0xFF) / 255f;
                if (grayscale) {
                    out[y * width + x] = 0.299f * r + 0.587f * gr + 0.114f * b;
                } else {
                    out[y * width + x] = r;
                    out[width * height + y * width + x] = gr;
                    out[2 * width * height + y * width + x] = b;
                }
            }
        }
        return out;
    }
}
