package io.remit.bench;

/** One task of the packing workload: whole CPUs, memory and a number of ports. */
record PackingTask(int id, int cpus, int memMb, int ports) {}
