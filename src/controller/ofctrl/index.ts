// ofctrl: keeping br-int's flow table in step with the desired one, incrementally.  Pure.
export {
  diffMessages,
  diffSize,
  diffTables,
  type FlowTable,
  flowKey,
  flowTable,
  flowValue,
  type TableDiff,
} from "./diff.js";
export { InstalledTable, type InstallPlan } from "./installed.js";
export { DELETE_ALL_FLOWS, DELETE_ALL_GROUPS, fullReplaceMessages } from "./replace.js";
