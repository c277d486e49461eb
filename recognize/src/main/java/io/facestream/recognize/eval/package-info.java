/**
 * Engine-independent face-verification evaluation: LFW pairs files, the 10-fold FaceNet protocol
 * (accuracy, VAL at a FAR, AUC, EER), the report and its JSON, ROC plots and console progress.
 */
package io.facestream.recognize.eval;
