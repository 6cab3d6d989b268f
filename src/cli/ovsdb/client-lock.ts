// ovsdb-client lock, steal and unlock (testing commands): send the request, print the reply as JSON,
// then print each notification that follows ("locked", "stolen") as its method name and its
// parameters, until the process is stopped (observed from ovsdb-client 3.1).
import { type ClientCommand, needRpc } from "./client-context.js";
import { Fatal } from "./fatal.js";
import { serializeOvsJson } from "./ovs-json.js";
import { RpcError } from "./rpc.js";

function lockCommand(method: "lock" | "steal" | "unlock"): ClientCommand {
  return async (ctx, args) => {
    const rpc = needRpc(ctx);
    const done = new Promise<void>((_resolve, reject) => {
      rpc.onNotification((name, params) => {
        ctx.out(`${name}\n${serializeOvsJson(params, { sort: true, pretty: ctx.style.pretty })}\n`);
      });
      rpc.onClose((why) => reject(new Fatal(`${ctx.server}: receive failed (${why})`)));
    });
    done.catch(() => undefined); // awaited below; a failure before that is reported by the request
    try {
      const reply = await rpc.call(method, [args[0] as string]);
      ctx.out(`${serializeOvsJson(reply, { sort: true, pretty: ctx.style.pretty })}\n`);
    } catch (e) {
      // The C tool prints nothing for an error reply (a bad lock name, an unlock of a lock not held)
      // and goes on waiting.
      if (!(e instanceof RpcError)) throw e;
    }
    await done;
  };
}

export const lock = lockCommand("lock");
export const steal = lockCommand("steal");
export const unlock = lockCommand("unlock");
