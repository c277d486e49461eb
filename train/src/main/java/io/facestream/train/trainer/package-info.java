/** The DJL trainer on P×K batches, the collapse guard, and the offline training run that gates and saves models. */
package io.facestream.train.trainer;
