/**
 * The MTCNN face detector (P-Net, R-Net, O-Net on DJL with the original Zhang et al. weights), its
 * detection pipeline, and detection-quality metrics against annotated boxes.
 */
package io.facestream.recognize.detect;
