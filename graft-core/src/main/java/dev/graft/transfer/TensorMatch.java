package dev.graft.transfer;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which target tensors a rule applies to: a glob or a regular expression matched against the
 * whole name. In globs {@code *} matches within one dot-separated segment, {@code **} across
 * segments and {@code ?} one character; each wildcard is a capture group, usable as {@code $1},
 * {@code $2}… in a rule's source name.
 *
 * @param glob whether {@code pattern} is a glob (else a regular expression)
 * @param pattern the pattern as written
 */
public record TensorMatch(boolean glob, String pattern) {

    public TensorMatch {
        compile(glob, pattern);
    }

    public static TensorMatch glob(String pattern) {
        return new TensorMatch(true, pattern);
    }

    public static TensorMatch regex(String pattern) {
        return new TensorMatch(false, pattern);
    }

    /** The matcher for {@code name}, if the whole name matches. */
    public Optional<Matcher> match(String name) {
        Matcher m = compile(glob, pattern).matcher(name);
        return m.matches() ? Optional.of(m) : Optional.empty();
    }

    /** The source name for a matched target name: {@code template} with groups substituted. */
    public static String rename(Matcher matched, String template) {
        StringBuilder out = new StringBuilder();
        try {
            matched.reset();
            matched.matches();
            matched.appendReplacement(out, template);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new TransferException("source name '" + template + "' refers to a group the match lacks");
        }
        return out.toString();
    }

    /** Compiled patterns: a plan matches every rule against every tensor, a search does so per trial. */
    private static final java.util.Map<String, Pattern> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

    private static Pattern compile(boolean glob, String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new TransferException("an empty match pattern matches nothing");
        }
        Pattern cached = COMPILED.get((glob ? "g:" : "r:") + pattern);
        if (cached != null) {
            return cached;
        }
        Pattern p = compileUncached(glob, pattern);
        if (COMPILED.size() < 10_000) {
            COMPILED.put((glob ? "g:" : "r:") + pattern, p);
        }
        return p;
    }

    private static Pattern compileUncached(boolean glob, String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new TransferException("an empty match pattern matches nothing");
        }
        try {
            return Pattern.compile(glob ? globToRegex(pattern) : pattern);
        } catch (PatternSyntaxException e) {
            throw new TransferException("bad regex '" + pattern + "': " + e.getDescription());
        }
    }

    private static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append("(.*)");
                i++;
            } else if (c == '*') {
                re.append("([^.]*)");
            } else if (c == '?') {
                re.append("([^.])");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    @Override
    public String toString() {
        return glob ? pattern : "/" + pattern + "/";
    }
}
