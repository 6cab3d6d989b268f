// Caches that make the controller's passes incremental: each gives what its from-scratch counterpart
// gives, reusing the previous pass's work where the input did not change.  Pure.
export { DesiredCache, hashPair, multisetKey } from "./desired-cache.js";
export { LflowCache, type LflowCacheStats } from "./lflow-cache.js";
export { RowTablesCache } from "./row-tables.js";
