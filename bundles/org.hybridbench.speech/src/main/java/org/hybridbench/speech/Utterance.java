package org.hybridbench.speech;

import java.util.List;

/**
 * One synthesised utterance: how it was made, its phones (clipped to the waveform) and its frames.
 *
 * @param id {@code <voice>-<index>}, e.g. {@code slt-0007}
 * @param index position among the voice's utterances (0-based); decides the dev split
 * @param stretch flite's duration_stretch (1 = the voice's own speed)
 * @param f0 the int_f0_target_mean given to flite, or NaN when the voice's own was used
 * @param snr signal-to-noise ratio of the added white noise in dB, or +∞ for none
 * @param samples waveform length at 16 kHz
 * @param statics frames × cepstra static MFCCs (float: the cache and fixture store them so)
 * @param labels the phone index ({@link Phones#SET}) of every frame
 * @param command the flite command line that made it
 */
record Utterance(String id, String voice, int index, String text, double stretch, double f0, double snr, int samples,
        List<Phones.Segment> phones, int frames, float[] statics, byte[] labels, String command) {

    double seconds() {
        return samples / 16_000.0;
    }
}
