/** The face engine: detection, alignment and embedding behind one facade, as the CLI and the stream use it. */
package io.facestream.recognize.engine;
