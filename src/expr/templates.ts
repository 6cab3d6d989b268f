// Chassis template variables (`^name`), substituted in a match or action string before it is parsed,
// as ovn-controller does with the Chassis_Template_Var values of its chassis.
//
// This reproduces what OVN 23.03 does, including its rough edges as seen through ovn-trace: the
// whitespace before a template reference goes away with it, an unknown variable leaves its bare name,
// and a lone `^' turns into the word `error'.

import { tokenizeSpans } from "./lexer.js";

export interface TemplateExpansion {
  readonly text: string;
  /** Names of the template variables referred to (known or not). */
  readonly used: ReadonlySet<string>;
}

export function expandTemplates(input: string, vars: ReadonlyMap<string, string>): TemplateExpansion {
  let text = "";
  const used = new Set<string>();
  let swallowAt = -1;
  for (const { token, gapStart, end } of tokenizeSpans(input)) {
    if (token.type === "template") {
      used.add(token.name);
      text += vars.get(token.name) ?? token.name;
    } else if (token.type === "error" && token.text === "^") {
      text += "error";
      // OVN's bad reference also takes whatever is glued to the `^'.
      swallowAt = end;
    } else {
      const glued = gapStart === swallowAt && token.type !== "end" && !/\s/.test(input[gapStart] ?? " ");
      if (!glued) text += input.slice(gapStart, end);
    }
  }
  return { text, used };
}
