// Package harness runs experiments. It knows no experiment: an experiment
// is written as a Definition (its configuration type, cell parameter type
// and cell result type, with the functions that connect them) and wrapped
// by Register into an Experiment, which the registry (package experiments)
// lists.
//
// A configuration expands into cells: independent units of work, one
// configuration and one seed each, with a stable ID. Each cell's random
// source is seeded from the run's seed, the experiment's name and the cell's
// ID (CellSeed), never from its position or the worker that runs it, so
// results are identical for any worker count. Every finished cell is kept as
// a Record, in memory (MemoryStore) or as a file (DirStore); summaries are
// computed from records only, so a whole run, a resumed run and shards
// merged from many machines summarise the same bytes.
//
// The entry points:
//   - Run runs a configuration in memory and summarises it (tests).
//   - Jobs expands what a user typed into configurations, validated and
//     checked against the machine's memory (CheckMemory); Sweep runs them
//     against a results folder (records, resume, shards) and hands each
//     summary to an Output; PrintPlan lists their cells.
//   - FindRuns and Merge gather the records of shards run elsewhere.
//
// Configurations are plain structs whose fields tagged `flag:"name"` are
// settings (Fields, SetField, Expand). Errors in what a user typed are
// returned as errors naming the setting and the valid choices; a broken
// experiment (two cells with one ID, a configuration of the wrong type)
// panics.
package harness
