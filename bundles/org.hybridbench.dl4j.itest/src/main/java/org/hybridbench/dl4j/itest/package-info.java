/** Integration tests of DL4J inside the OSGi framework (run by the bnd tester). */
package org.hybridbench.dl4j.itest;
