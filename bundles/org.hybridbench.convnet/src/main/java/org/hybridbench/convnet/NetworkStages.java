package org.hybridbench.convnet;

import java.util.List;

import org.hybridbench.api.ConfigParam;
import org.hybridbench.api.PortSpec;
import org.hybridbench.api.PortTypes;

/** What the three network stage types of this bundle declare alike. */
final class NetworkStages {
    static final ConfigParam PRECISION = ConfigParam.choice("precision", "float", List.of("float", "double"),
            "Network arithmetic: float (fast) or double (for gradient checks).");
    static final PortSpec NETWORK = PortSpec.output("network", PortTypes.NETWORK, "The network (DifferentiableNetwork), for a trainer.");

    private NetworkStages() {
    }
}
