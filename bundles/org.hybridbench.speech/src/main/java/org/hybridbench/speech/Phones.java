package org.hybridbench.speech;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * flite's US English phone set and its phone timings. {@code flite -psdur} prints {@code phone:end} pairs (end
 * times in seconds from the start of the waveform); phone i spans (end_{i−1}, end_i]. The set is the 39 phones of
 * CMUdict plus {@code ax} (flite's reduced vowel) and {@code pau} (silence): exactly the 41 symbols flite 2.2 printed
 * for 956 Brown sentences (every 60th, voice kal16; the lexicon and letter-to-sound rules are shared by all US
 * voices), in a fixed order so that
 * state indices mean the same phone in every data set.
 */
final class Phones {
    private Phones() {
    }

    /** The phone set, silence first. */
    static final List<String> SET = List.of("pau", "aa", "ae", "ah", "ao", "aw", "ax", "ay", "b", "ch", "d", "dh", "eh", "er",
            "ey", "f", "g", "hh", "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s", "sh", "t", "th", "uh",
            "uw", "v", "w", "y", "z", "zh");

    private static final Map<String, Integer> INDEX = new HashMap<>();
    static {
        for (int i = 0; i < SET.size(); i++) {
            INDEX.put(SET.get(i), i);
        }
    }

    /** One phone and the time its interval ends. */
    record Segment(String phone, double end) {
    }

    static int index(String phone) {
        Integer i = INDEX.get(phone);
        return i == null ? -1 : i;
    }

    /**
     * Parses flite's {@code -psdur} output.
     *
     * @throws IllegalArgumentException naming the utterance for a malformed pair, decreasing times, a phone outside
     *             {@link #SET}, or no phones at all
     */
    static List<Segment> parse(String output, String utterance) {
        List<Segment> out = new ArrayList<>();
        double previous = 0;
        for (String token : output.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int colon = token.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(utterance + ": flite printed '" + token + "' where phone:end was expected");
            }
            String phone = token.substring(0, colon).toLowerCase(Locale.ROOT);
            double end;
            try {
                end = Double.parseDouble(token.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(utterance + ": flite printed '" + token + "' where phone:end was expected");
            }
            if (index(phone) < 0) {
                throw new IllegalArgumentException(utterance + ": phone '" + phone + "' (at " + end + " s) is not in the phone set "
                        + SET);
            }
            if (!(end >= previous)) {
                throw new IllegalArgumentException(utterance + ": phone '" + phone + "' ends at " + end + " s, before the previous "
                        + "phone's end " + previous + " s");
            }
            out.add(new Segment(phone, end));
            previous = end;
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(utterance + ": flite printed no phones");
        }
        return out;
    }

    /**
     * Clips the segments to a waveform of {@code duration} seconds: flite's kal voices stop the waveform about
     * 120 ms before the last pause's printed end, so an end past the waveform is set to its length and phones
     * that would start after it are dropped.
     */
    static List<Segment> clip(List<Segment> segments, double duration) {
        List<Segment> out = new ArrayList<>();
        double start = 0;
        for (Segment s : segments) {
            if (start >= duration) {
                break;
            }
            out.add(s.end() > duration ? new Segment(s.phone(), duration) : s);
            start = s.end();
        }
        return out;
    }

    /**
     * The phone of every frame: the one whose interval (start, end] contains the frame's centre.
     *
     * @param centres the centre time of each frame in seconds, increasing
     */
    static int[] frameLabels(List<Segment> segments, double[] centres, String utterance) {
        int[] labels = new int[centres.length];
        int s = 0;
        for (int t = 0; t < centres.length; t++) {
            while (s < segments.size() && segments.get(s).end() < centres[t]) {
                s++;
            }
            if (s == segments.size()) {
                throw new IllegalArgumentException(utterance + ": frame " + t + " (centre " + centres[t] + " s) lies after the last "
                        + "phone's end " + segments.get(segments.size() - 1).end() + " s");
            }
            labels[t] = index(segments.get(s).phone());
        }
        return labels;
    }
}
