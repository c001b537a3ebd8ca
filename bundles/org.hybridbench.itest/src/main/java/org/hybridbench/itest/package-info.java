/** Integration tests run inside Felix by the bnd tester; private to the test bundle. */
package org.hybridbench.itest;
