package org.hybridbench.crf;

import org.hybridbench.api.PortType;
import org.hybridbench.api.model.StructuredLoss;

/**
 * Port types of this bundle. The SDK has no port type for a {@link StructuredLoss} yet, so it is declared here
 * with the SDK's interface as its value type (a consumer in another bundle declares the same name and class);
 * it belongs in {@code PortTypes} as {@code STRUCTURED_LOSS}.
 */
final class CrfPorts {
    private CrfPorts() {
    }

    /** A structured loss ("scores in, gradients out"); on {@code loss.crf} the value is the CRF itself. */
    static final PortType<StructuredLoss> STRUCTURED_LOSS = PortType.of("structured-loss", StructuredLoss.class);
}
