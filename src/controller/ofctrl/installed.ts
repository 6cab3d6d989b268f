// The flow table as we last installed it on br-int.  Unknown after (re)connecting, when the next
// install replaces everything; known afterwards, when installs send only the difference.  The caller
// sends plan().messages as one atomic bundle and calls commit() only when it succeeded, so a failed
// bundle (applied all or nothing) leaves our record equal to the switch.  Pure.

import type { OfMessageBody } from "../../openflow/messages.js";
import type { FlowMod, GroupMod } from "../../openflow/model.js";
import { diffMessages, diffTables, type FlowTable, flowTable } from "./diff.js";
import { fullReplaceMessages } from "./replace.js";

export interface InstallPlan {
  /** Whole-table replace (first install on a connection) or an incremental diff. */
  readonly full: boolean;
  readonly messages: readonly OfMessageBody[];
  readonly table: FlowTable;
}

export class InstalledTable {
  private table: FlowTable | undefined;

  /** Forgets the switch's contents (new connection): the next plan is a full replace. */
  reset(): void {
    this.table = undefined;
  }

  get known(): boolean {
    return this.table !== undefined;
  }

  plan(flows: readonly FlowMod[], groups: readonly GroupMod[]): InstallPlan {
    const table = flowTable(flows, groups);
    if (this.table === undefined)
      return {
        full: true,
        messages: fullReplaceMessages([...table.groups.values()], [...table.flows.values()]),
        table,
      };
    return { full: false, messages: diffMessages(diffTables(this.table, table)), table };
  }

  commit(p: InstallPlan): void {
    this.table = p.table;
  }
}
