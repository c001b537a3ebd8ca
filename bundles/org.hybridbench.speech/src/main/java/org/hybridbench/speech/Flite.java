package org.hybridbench.speech;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.hybridbench.api.StageException;

/**
 * Runs the {@code flite} synthesiser (Debian package {@code flite}, 2.2): {@code flite -voice V -psdur [--setf
 * duration_stretch=S] [--setf int_f0_target_mean=F] -t TEXT -o FILE.wav} writes the waveform and prints every phone
 * with its end time on standard output.
 */
final class Flite {
    /** What to tell a user without flite. */
    static final String INSTALL = "install it with 'apt-get install flite' (Debian/Ubuntu package flite), or use source=fixture";

    /**
     * Each voice's own mean F0 target in Hz: the value of {@code int_f0_target_mean} that reproduces the voice's default
     * waveform byte for byte (found by trying 70–260 Hz with flite 2.2). {@code rms} ignores the setting (its waveform
     * does not change), so pitch variation does not apply to it.
     */
    static final Map<String, Double> DEFAULT_F0 = Map.of("kal16", 95.0, "awb", 132.0, "slt", 172.0);

    private final String executable;

    /** @param executable {@code flite}, or a path (tests use a missing one) */
    Flite(String executable) {
        this.executable = executable;
    }

    /** The version line of {@code flite --version}, e.g. {@code flite-2.2-current Sep 2018}. */
    String version() throws StageException {
        // flite 2.2 prints its version and exits with status 1, so the status is not checked here.
        String out = run(List.of(executable, "--version"), "flite --version", null, false);
        for (String line : out.split("\n")) {
            if (line.trim().startsWith("version:")) {
                return line.trim().substring("version:".length()).trim();
            }
        }
        return out.trim();
    }

    /** The command line for one utterance (also recorded in provenance). */
    List<String> command(String voice, String text, double stretch, double f0, Path wav) {
        List<String> c = new ArrayList<>(List.of(executable, "-voice", voice, "-psdur"));
        if (stretch != 1.0) {
            c.addAll(List.of("--setf", String.format(Locale.ROOT, "duration_stretch=%.4f", stretch)));
        }
        if (!Double.isNaN(f0)) {
            c.addAll(List.of("--setf", String.format(Locale.ROOT, "int_f0_target_mean=%.2f", f0)));
        }
        c.addAll(List.of("-t", text, "-o", wav.toString()));
        return c;
    }

    /** Runs a command from {@link #command}; returns flite's standard output (the phones). */
    String synthesize(List<String> command, String utterance) throws StageException {
        return run(command, utterance, utterance, true);
    }

    private String run(List<String> command, String what, String utterance, boolean checkStatus) throws StageException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new StageException("cannot run flite (" + e.getMessage() + ")" + (utterance == null ? "" : " for " + utterance)
                    + ": flite is not installed; " + INSTALL, e);
        }
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new StageException(what + ": flite did not finish within 5 minutes");
            }
            String text = out.toString(StandardCharsets.UTF_8);
            if (checkStatus && p.exitValue() != 0) {
                throw new StageException(what + ": flite failed with exit code " + p.exitValue() + " (" + String.join(" ", command)
                        + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new StageException(what + ": reading flite's output failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StageException(what + ": interrupted", e);
        }
    }

    /** Reads the wav flite wrote and deletes it. */
    static byte[] takeWav(Path wav, String utterance) throws StageException {
        try {
            byte[] b = Files.readAllBytes(wav);
            Files.delete(wav);
            return b;
        } catch (IOException e) {
            throw new StageException(utterance + ": flite wrote no readable waveform " + wav + " (" + e + ")", e);
        }
    }
}
