/** Online triplet selection in a P×K batch and the triplet loss, after FaceNet (Schroff et al., 2015). */
package io.facestream.train.mining;
