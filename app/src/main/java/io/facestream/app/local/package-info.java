/** The local stack: the parts that let the whole pipeline run in one JVM without Docker. */
package io.facestream.app.local;
