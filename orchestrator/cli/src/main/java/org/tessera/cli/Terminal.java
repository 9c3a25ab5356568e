package org.tessera.cli;

import java.io.Console;
import java.io.PrintStream;

/**
 * Where output goes and how it may look: colours and redrawn progress bars only on a terminal, never when the output
 * is a pipe or a file, and never when {@code NO_COLOR} is set (https://no-color.org).
 */
public record Terminal(PrintStream out, PrintStream err, boolean interactive, boolean colour) {

    public static Terminal detect(boolean noColourOption) {
        Console console = System.console();
        boolean interactive = console != null && console.isTerminal();
        boolean colour = interactive && !noColourOption && System.getenv("NO_COLOR") == null;
        return new Terminal(System.out, System.err, interactive, colour);
    }

    public String green(String text) {
        return paint("32", text);
    }

    public String red(String text) {
        return paint("31", text);
    }

    public String yellow(String text) {
        return paint("33", text);
    }

    public String bold(String text) {
        return paint("1", text);
    }

    private String paint(String sgr, String text) {
        return colour ? "\u001b[" + sgr + "m" + text + "\u001b[0m" : text;
    }
}
