package org.hybridbench.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.hybridbench.api.StageException;
import org.junit.jupiter.api.Test;

class PhonesAndTextTest {

    @Test
    void parsesFlitePhonesAndLabelsFramesByTheirCentre() {
        List<Phones.Segment> s = Phones.parse("pau:0.030 hh:0.055 ax:0.080\n", "u1");
        assertEquals(List.of(new Phones.Segment("pau", 0.030), new Phones.Segment("hh", 0.055), new Phones.Segment("ax", 0.080)), s);
        // Centres 12.5, 22.5, 32.5, 42.5, 52.5, 62.5, 72.5 ms: pau until 30 ms, hh until 55 ms, ax until 80 ms.
        double[] centres = {0.0125, 0.0225, 0.0325, 0.0425, 0.0525, 0.0625, 0.0725};
        int pau = Phones.SET.indexOf("pau");
        int hh = Phones.SET.indexOf("hh");
        int ax = Phones.SET.indexOf("ax");
        assertArrayEquals(new int[] {pau, pau, hh, hh, hh, ax, ax}, Phones.frameLabels(s, centres, "u1"));
    }

    @Test
    void clipsToTheWaveformLikeKalNeeds() {
        List<Phones.Segment> s = Phones.parse("pau:0.2 t:0.3 pau:0.5", "kal16-0000");
        assertEquals(List.of(new Phones.Segment("pau", 0.2), new Phones.Segment("t", 0.3), new Phones.Segment("pau", 0.38)),
                Phones.clip(s, 0.38));
        assertEquals(List.of(new Phones.Segment("pau", 0.2), new Phones.Segment("t", 0.25)), Phones.clip(s, 0.25));
    }

    @Test
    void unknownOrMalformedPhonesNameTheUtterance() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Phones.parse("pau:0.1 xx:0.2", "utterance slt-0003"));
        assertTrue(e.getMessage().contains("utterance slt-0003") && e.getMessage().contains("'xx'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Phones.parse("pau:0.3 t:0.2", "utterance awb-0001"));
        assertTrue(e.getMessage().contains("utterance awb-0001"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Phones.parse("hello", "utterance rms-0002"));
        assertTrue(e.getMessage().contains("utterance rms-0002"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Phones.parse("  ", "utterance rms-0004"));
        assertTrue(e.getMessage().contains("no phones"), e.getMessage());
    }

    @Test
    void phoneSetIsTheCmuDictSetPlusAxAndPau() {
        assertEquals(41, Phones.SET.size());
        assertEquals(41, new java.util.HashSet<>(Phones.SET).size());
    }

    @Test
    void brownSentencesBecomePlainText() {
        assertEquals("The couple was married Aug. 2, 1913.", BrownCorpus.text("The/at couple/nn was/bedz married/vbn Aug./np 2/cd ,/, 1913/cd ./."));
        assertEquals("Barco, we've got the goods on you!!",
                BrownCorpus.text("``/`` Barco/np ,/, we've/ppss+hv got/vbn the/at goods/nns on/in you/ppo !/. !/."));
        assertEquals("that: (1)", BrownCorpus.text("that/cs :/: (/( 1/cd )/)"));
        assertEquals(7, BrownCorpus.words("The/at couple/nn was/bedz married/vbn Aug./np 2/cd ,/, 1913/cd ./."));
    }

    @Test
    void selectionTakesEvenlySpacedCandidatesInTheWordRange() throws StageException {
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // sentence i has (i % 10) + 1 words: w0/nn w1/nn ...
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w <= i % 10; w++) {
                sb.append("s").append(i).append("w").append(w).append("/nn ");
            }
            sentences.add(sb.toString().trim());
        }
        // Candidates with 3..4 words: i % 10 in {2, 3}: 20 sentences (2, 3, 12, 13, ...); 5 evenly spaced: k*20/5 = 0,4,8,12,16.
        List<String> got = BrownCorpus.select(sentences, 3, 4, 5);
        assertEquals(List.of("s2w0 s2w1 s2w2", "s22w0 s22w1 s22w2", "s42w0 s42w1 s42w2", "s62w0 s62w1 s62w2", "s82w0 s82w1 s82w2"), got);
        StageException e = assertThrows(StageException.class, () -> BrownCorpus.select(sentences, 3, 4, 21));
        assertTrue(e.getMessage().contains("20 sentences of 3 to 4 words"), e.getMessage());
    }
}
