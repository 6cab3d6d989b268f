// Caches that make the controller's passes incremental: each gives what its from-scratch counterpart
// gives, reusing the previous pass's work where the input did not change.  Pure.
export { DesiredCache, hashPair, multisetKey } from "./desired-cache.js";
export { JsonRowsCache } from "./json-rows.js";
export { LflowCache, type LflowCacheStats } from "./lflow-cache.js";
