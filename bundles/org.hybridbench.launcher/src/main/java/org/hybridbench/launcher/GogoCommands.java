package org.hybridbench.launcher;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Executes a Gogo command line through the framework's {@code CommandProcessor} service, from outside the
 * framework. The Gogo API lives in a bundle the launcher does not import, so it is called reflectively through
 * the interfaces as the Gogo runtime bundle loads them.
 *
 * <p>The session writes to {@code new FileOutputStream(FileDescriptor.out)}, never to {@code System.out}: Gogo
 * replaces {@code System.out} while a command runs, and a command printing to it would recurse into itself
 * (ARCHITECTURE §5).
 */
final class GogoCommands {

    static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    static final String SESSION = "org.apache.felix.service.command.CommandSession";

    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./@%+,-]+");

    private GogoCommands() {
    }

    /** Thrown with the command's own failure (its message is what the user sees). */
    static final class CommandFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CommandFailed(Throwable cause) {
            super(messageOf(cause), cause);
        }
    }

    static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : m;
    }

    /**
     * Runs {@code commandLine} in a new session on {@code processorRef}; prints a non-null result as Gogo's
     * interactive shell would. Throws {@link CommandFailed} with the command's exception.
     */
    static void execute(BundleContext ctx, ServiceReference<?> processorRef, String commandLine) throws Exception {
        Object processor = ctx.getService(processorRef);
        if (processor == null) {
            throw new IllegalStateException("the Gogo command processor went away");
        }
        try {
            ClassLoader gogo = processorRef.getBundle().adapt(org.osgi.framework.wiring.BundleWiring.class).getClassLoader();
            Class<?> processorType = Class.forName(PROCESSOR, false, gogo);
            Class<?> sessionType = Class.forName(SESSION, false, gogo);
            Method createSession = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                    OutputStream.class);
            Method execute = sessionType.getMethod("execute", CharSequence.class);
            Method format = sessionType.getMethod("format", Object.class, int.class);
            Method close = sessionType.getMethod("close");

            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
            Object session = createSession.invoke(processor, new FileInputStream(FileDescriptor.in), out, err);
            try {
                Object result;
                try {
                    result = execute.invoke(session, commandLine);
                } catch (InvocationTargetException e) {
                    throw new CommandFailed(e.getCause());
                }
                if (result != null) {
                    out.println(format.invoke(session, result, 0)); // Converter.INSPECT
                }
                out.flush();
            } finally {
                close.invoke(session);
            }
        } finally {
            ctx.ungetService(processorRef);
        }
    }

    /** A Gogo command line {@code command arg1 arg2 …}, quoting each argument where needed. */
    static String commandLine(String command, List<String> args) {
        StringBuilder sb = new StringBuilder(command);
        for (String a : args) {
            sb.append(' ').append(quote(a));
        }
        return sb.toString();
    }

    /** One argument as a single Gogo word: bare if safe, else single-quoted (literal), else double-quoted. */
    static String quote(String arg) {
        if (!arg.isEmpty() && BARE.matcher(arg).matches()) {
            return arg;
        }
        if (arg.indexOf('\'') < 0) {
            return "'" + arg + "'";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : arg.toCharArray()) {
            if (c == '"' || c == '\\' || c == '$') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
