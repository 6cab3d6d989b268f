// ovsdb-client convert and needs-conversion (ovsdb-client(1)): the online counterparts of ovsdb-tool's,
// acting on the database a schema file names. Observed from ovsdb-client 3.1: needs-conversion prints
// "yes" or "no" (the server's schema differs from the file's or not, version and checksum included);
// convert sends the "convert" method and prints nothing; a schema file that cannot be read fails as in
// ovsdb-tool.
import { type ClientCommand, fetchSchema, needRpc } from "./client-context.js";
import { Fatal } from "./fatal.js";
import { serializeOvsJson } from "./ovs-json.js";
import { RpcClosedError, RpcError } from "./rpc.js";
import { schemaToOJson, type ToolSchema } from "./schema-json.js";
import { readSchemaFile } from "./tool-files.js";

function canonical(s: ToolSchema): string {
  return serializeOvsJson(schemaToOJson(s), { sort: true });
}

export const needsConversion: ClientCommand = async (ctx, args) => {
  const wanted = await readSchemaFile(args[args.length - 1] as string);
  const current = await fetchSchema(needRpc(ctx), wanted.model.name);
  ctx.out(canonical(current) === canonical(wanted) ? "no\n" : "yes\n");
};

export const convert: ClientCommand = async (ctx, args) => {
  const wanted = await readSchemaFile(args[args.length - 1] as string);
  try {
    await needRpc(ctx).call("convert", [wanted.model.name, wanted.json]);
  } catch (e) {
    if (e instanceof RpcError) throw new Fatal(`transaction returned error: ${e.message}`);
    if (e instanceof RpcClosedError) throw new Fatal(`transaction failed (${e.message})`);
    throw e;
  }
};
