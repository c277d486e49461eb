/**
 * Nearest-neighbour search over unit face embeddings by squared L2 distance: exact search for galleries up to
 * tens of thousands of faces, an HNSW graph beyond, one interface and one factory that picks by size.
 */
package io.facestream.recognize.index;
