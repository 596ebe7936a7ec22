import { isPunct, kw, type Tok } from "./tokenize.js";

/** `SELECT @a = x, @b = y FROM …`: the variables, and the query without the assignments. */
export interface AssignmentSelect {
  targets: string[];
  query: Tok[];
}

/**
 * Recognises a variable-assigning SELECT. SQL Server assigns from the last row (and leaves the variables
 * alone when there is none); the caller runs `query` and does that.
 */
export function assignmentSelect(t: Tok[]): AssignmentSelect | undefined {
  if (kw(t[0]) !== "SELECT" || t[1]?.kind !== "param" || !isPunct(t[2], "=")) return undefined;
  const targets: string[] = [];
  const query: Tok[] = [t[0] as Tok];
  let depth = 0;
  let i = 1;
  let expectTarget = true;
  for (; i < t.length; i++) {
    const x = t[i] as Tok;
    if (depth === 0 && ["FROM", "WHERE", "ORDER", "GROUP", "UNION"].includes(kw(x))) break;
    if (expectTarget) {
      if (x.kind !== "param" || !isPunct(t[i + 1], "=")) return undefined;
      targets.push(x.text.slice(1).toLowerCase());
      i++;
      expectTarget = false;
      continue;
    }
    if (isPunct(x, "(")) depth++;
    if (isPunct(x, ")")) depth--;
    if (depth === 0 && isPunct(x, ",")) expectTarget = true;
    query.push(x);
  }
  return { targets, query: [...query, ...t.slice(i)] };
}
