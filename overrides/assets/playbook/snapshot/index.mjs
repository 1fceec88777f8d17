// The snapshot's run-time side, as the worker uses it (re-exports only). One job per module:
//   pointer.mjs   the build's pointer, checked against this page's runtime
//   policy.mjs    when to use it (a kept copy, the link's speed) and fetching it for the next visit
//   restore.mjs   Python from the snapshot's bytes
//   download.mjs  downloads checked against their sha256
//   store.mjs     the copy in the origin's private file system
//   format.mjs    what the maker (pipeline/snapshot_maker.mjs, build only) and the restore share
export { findSnapshot } from "./pointer.mjs";
export { kept, shouldUse, warm } from "./policy.mjs";
export { restore } from "./restore.mjs";
export { earlyStore } from "./store.mjs";
