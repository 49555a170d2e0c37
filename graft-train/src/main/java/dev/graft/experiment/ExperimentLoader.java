package dev.graft.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.graft.GraftInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads experiment files into {@link ExperimentConfig}; errors name the file and the key's path. */
public final class ExperimentLoader {
    static final ObjectMapper YAML = new ObjectMapper(dev.graft.YamlText.factory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            // "epochs: 2.5" would otherwise train 2 epochs without a word
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ExperimentLoader() {}

    /**
     * Reads an experiment.
     *
     * @throws GraftInputException if the file is missing or does not fit the schema
     */
    public static ExperimentConfig read(Path file) {
        String text = dev.graft.YamlText.read(file, "an experiment");
        return parse(file.toString(), text);
    }

    /** Parses experiment YAML; {@code label} names it in errors. */
    public static ExperimentConfig parse(String label, String yaml) {
        try {
            ExperimentConfig c = YAML.readValue(yaml, ExperimentConfig.class);
            if (c == null) {
                throw new GraftInputException(label + ": the experiment is empty");
            }
            // after the typed read, whose errors carry line and column; this one names the key
            String empty = dev.graft.YamlText.firstEmptyKey(YAML.readTree(yaml));
            if (empty != null) {
                throw new GraftInputException(dev.graft.YamlText.emptyKeyError(label, empty));
            }
            return c;
        } catch (UnrecognizedPropertyException e) {
            throw new GraftInputException(label + ": unknown key '" + path(e) + "'");
        } catch (com.fasterxml.jackson.databind.exc.InvalidFormatException e) {
            throw new GraftInputException(label + ": at '" + path(e) + "': '" + e.getValue() + "' is not "
                    + typeWords(e.getTargetType()));
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            // a list where text belongs, text where a section belongs: say it in YAML's words, not Java's
            String p = path(e);
            throw new GraftInputException(label + ": " + at(e) + (p.isEmpty() ? "" : "'" + p + "' ")
                    + "must be " + wanted(e.getTargetType()));
        } catch (JsonMappingException e) {
            String p = path(e);
            throw new GraftInputException(label + ": " + at(e) + (p.isEmpty() ? "" : "at '" + p + "': ")
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new GraftInputException(dev.graft.YamlText.syntaxError(label, e, "YAML"));
        }
    }

    /** A Java type as the YAML value it wants. */
    private static String typeWords(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == Float.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a valid " + type.getSimpleName();
    }

    /** The key path of an error, such as {@code train.schedule.warmup} or {@code strategies[2].name}. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** "line L, column C: " where the parser stood, or nothing. */
    private static String at(JsonMappingException e) {
        var l = e.getLocation();
        return l == null || l.getLineNr() < 1 ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr() + ": ";
    }

    /** What a Java target type is in YAML terms. */
    private static String wanted(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == String.class) {
            return "text";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping (key: value, ...)";
        }
        return typeWords(type);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
