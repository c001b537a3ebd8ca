package org.hybridbench.crf;

import org.hybridbench.api.data.Matrix;
import org.hybridbench.api.model.ChainPath;

/**
 * Everything a CRF says about one sentence.
 *
 * @param best the Viterbi path and its score (start, unaries, transitions and end)
 * @param marginals p(tag_t = k | sentence), T × K
 * @param logPartition log Z
 * @param confidence p(best path | sentence) = exp(score(best) − log Z)
 * @param entropy of the distribution over tag sequences in nats, log Z − E[score] (exact)
 */
public record SentenceAnalysis(ChainPath best, Matrix marginals, double logPartition, double confidence, double entropy) {
}
