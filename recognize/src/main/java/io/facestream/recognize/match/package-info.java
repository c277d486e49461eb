/** Matching embeddings against enrolled identities under a squared-L2 threshold. */
package io.facestream.recognize.match;
