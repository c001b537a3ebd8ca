package org.hybridbench.phone;

import org.hybridbench.api.PortType;

/** The port type of a trained phone model set, between {@code model.phone.hmm} and {@code decode.phone-loop} (this bundle). */
final class PhonePorts {
    private PhonePorts() {
    }

    static final PortType<PhoneModelSet> PHONE_MODELS = PortType.of("phone-models", PhoneModelSet.class);
}
