/** Saved models: the parameters and the model record (id, parent, architecture, gate figures) in one folder. */
package io.facestream.train.model;
