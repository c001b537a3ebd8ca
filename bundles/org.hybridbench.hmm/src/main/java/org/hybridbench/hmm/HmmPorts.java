package org.hybridbench.hmm;

import org.hybridbench.api.PortType;

/** The port type of a whole HMM, between {@code model.hmm.fit} and {@code model.hmm.decode} (both in this bundle). */
final class HmmPorts {
    private HmmPorts() {
    }

    static final PortType<HiddenMarkovModel> HMM = PortType.of("hmm", HiddenMarkovModel.class);
}
