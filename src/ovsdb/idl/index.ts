// Public API of the OVSDB client library. The typed rows of each schema are in ./generated/ (import the
// one you need: `import { ovnNbModel, type LogicalSwitch } from ".../idl/generated/ovn-nb.js"`).
// Everything here is pure except connectIdl (./connect.js), which plugs in real sockets and the clock.

export { ChangeAccumulator, Changes, type RowModification, type TableChanges } from "./changes.js";
export {
  type ChangeTracker,
  Idl,
  type IdlOptions,
  type TransactOptions,
  type TransactOutcome,
} from "./idl.js";
export { type LockRequest, LockState, NotLockedError } from "./lock.js";
export {
  asUuid,
  type Clause,
  type ColumnKind,
  type ColumnModel,
  type ColumnOf,
  type ConditionFunction,
  type DbModel,
  defineModel,
  type ElementOf,
  type IndexKeyOf,
  type ModelSpec,
  type MonitorCondition,
  type MutationValue,
  type Mutator,
  type RowBase,
  type RowInput,
  type TableModel,
  type TableName,
  type Tables,
  type Uuid,
  type Where,
} from "./model.js";
export {
  MONITOR_METHODS,
  type MonitorMethod,
  type MonitorPlan,
  type MonitorSpec,
} from "./monitor-request.js";
export { bumpNbCfg, type CfgWait, type NbCfgOptions } from "./nb-cfg.js";
export type { RowIndex } from "./row-index.js";
export { judgeServer, type ServerVerdict } from "./server-db.js";
export { type ServerDatabase, type ServerTables, serverModel } from "./server-model.js";
export { type SelectRef, TryAgainError, Txn, TxnError, type TxnResult } from "./txn.js";
