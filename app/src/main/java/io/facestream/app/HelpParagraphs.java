package io.facestream.app;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Joins the lines of every help text into paragraphs. The descriptions are written as arrays of source lines,
 * and picocli prints each element on a line of its own, wrapped on its own, so a sentence broke wherever the
 * source line did. A command keeps its first line apart: it is the summary in the command lists.
 */
final class HelpParagraphs {

    private HelpParagraphs() {
    }

    /** Rewrites the descriptions of {@code cl}, its options and parameters, and of every subcommand below it. */
    static CommandLine apply(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        String[] d = spec.usageMessage().description();
        if (d.length > 2) {
            spec.usageMessage().description(d[0], join(List.of(d).subList(1, d.length)));
        }
        List<ArgSpec> args = new ArrayList<>(spec.args());
        for (ArgSpec a : args) {
            if (a.description().length < 2) {
                continue;
            }
            String joined = join(List.of(a.description()));
            spec.remove(a);
            if (a instanceof OptionSpec o) {
                spec.addOption(o.toBuilder().description(joined).build());
            } else if (a instanceof PositionalParamSpec p) {
                spec.addPositional(p.toBuilder().description(joined).build());
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            apply(sub);
        }
        return cl;
    }

    private static String join(List<String> lines) {
        return String.join(" ", lines.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
    }
}
