package org.sgdstab.experiments;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One run of a sweep: plain data, so an executor may ship it elsewhere.
 *
 * @param index   position in the sweep's plan (results are ordered by it)
 * @param id      stable identifier: a hash of the command and its options, so a resumed sweep recognises finished runs
 * @param command what to run
 * @param options the run's options (base merged with its axis values), in the command's option order
 */
public record SweepJob(int index, String id, SweepCommand command, ObjectNode options) {
}
