// Rollup
