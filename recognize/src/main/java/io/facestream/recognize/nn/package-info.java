/** DJL building blocks shared by the face networks (layers DJL lacks on the PyTorch engine). */
package io.facestream.recognize.nn;
