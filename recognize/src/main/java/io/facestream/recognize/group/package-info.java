/**
 * Grouping unlabelled faces by person: exact k-nearest-neighbour graphs, the consensus of a committee of
 * embedders over them, label propagation with size-limited splitting (after CDP), the DBSCAN and Chinese
 * Whispers baselines, and the pairwise and BCubed measures of a grouping against known people.
 */
package io.facestream.recognize.group;
