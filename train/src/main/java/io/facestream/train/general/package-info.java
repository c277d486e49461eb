/** A general-domain verification set that is not LFW: faces tracked through sample videos and group photos, paired by what the tracks and frames make sure of. */
package io.facestream.train.general;
