/** Labelled image folders in LFW's layout, turned once into aligned face crops for training and validation. */
package io.facestream.train.data;
