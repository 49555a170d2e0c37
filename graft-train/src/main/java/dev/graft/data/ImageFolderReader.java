package dev.graft.data;

import dev.graft.checkpoint.Dims;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a folder with one subfolder per class (sorted by name) of PNG or JPEG images, resized
 * (bilinear) to a fixed size, as {@code [3, H, W]} RGB or {@code [1, H, W]} grayscale in [0, 1].
 */
public final class ImageFolderReader {
    private ImageFolderReader() {}

    /** The images and the class (subfolder) names in class order. */
    public record Result(Examples examples, List<String> classNames) {}

    /**
     * @throws DataException if the folder is missing, has no classes, or an image cannot be decoded
     */
    public static Result read(Path dir, int width, int height, boolean grayscale) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": no such folder");
        }
        List<Path> classes;
        try (Stream<Path> s = Files.list(dir)) {
            classes = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list: " + e.getMessage());
        }
        if (classes.isEmpty()) {
            throw new DataException(dir + ": no class subfolders");
        }
        int channels = grayscale ? 1 : 3;
        int d = channels * width * height;
        List<float[]> samples = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            names.add(classes.get(c).getFileName().toString());
            List<Path> files;
            try (Stream<Path> s = Files.list(classes.get(c))) {
                files = s.filter(p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
                }).sorted().toList();
            } catch (IOException e) {
                throw new DataException(classes.get(c) + ": cannot list: " + e.getMessage());
            }
            for (Path f : files) {
                samples.add(pixels(f, width, height, grayscale));
                labels.add(c);
            }
        }
        float[] all = new float[samples.size() * d];
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i), 0, all, i * d, d);
        }
        return new Result(new Examples(new Dims(channels, height, width), all,
                labels.stream().mapToInt(Integer::intValue).toArray(), classes.size()), names);
    }

    private static float[] pixels(Path file, int width, int height, boolean grayscale) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataException(file + ": cannot decode image: " + e.getMessage());
        }
        if (img == null) {
            throw new DataException(file + ": not a PNG or JPEG image");
        }
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
