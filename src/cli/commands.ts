import { parseArgs } from "node:util";
import { z } from "zod";
import { actionsAfterFeedback, applyFeedback } from "../core/apply-feedback.js";
import { checkActions } from "../core/check-actions.js";
import { dutchDay } from "../core/dates.js";
import { determineActions } from "../core/determine-actions.js";
import { Action, ActionMemory, BronMirror, FeedbackMessage, type IsoDate } from "../core/model.js";
import { checkBsn, checkIsoDate, checkOnderwijsnummer, checkPostcode, type Check } from "../core/validation.js";
import { InputError } from "./input-error.js";
import { readLvsSnapshot } from "./read-lvs.js";
import { readJsonFile } from "./read-input.js";

/** The `bronsync` subcommands: read and check the input files, call the pure core, print JSON. */

export interface Out {
  write(chunk: string): unknown;
}

const EMPTY_MEMORY: ActionMemory = { ignored: [], pending: [], firstSeen: {} };

function options<K extends string>(command: string, args: string[], names: readonly K[], required: readonly K[]): Partial<Record<K, string>> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: Object.fromEntries(names.map((n) => [n, { type: "string" as const }])), strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new InputError(`${command}: ${argumentError(e)} (zie bronsync --help)`);
  }
  for (const r of required) if (values[r] === undefined) throw new InputError(`${command}: --${r} ontbreekt (zie bronsync --help)`);
  return values as Partial<Record<K, string>>;
}

/** parseArgs' English errors in Dutch. */
function argumentError(e: unknown): string {
  const code = (e as { code?: string }).code;
  const option = /'(-[^' ]+)/.exec(e instanceof Error ? e.message : "")?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `onbekende optie ${option}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return `optie ${option} heeft een waarde nodig`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return "onverwacht argument";
  return e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e);
}

/** --today, or today's date in the Netherlands. */
function todayFrom(value: string | undefined): IsoDate {
  if (value === undefined) return dutchDay(new Date());
  const r = checkIsoDate(value);
  if (!r.ok) throw new InputError(`--today ${value}: ${r.reason}`);
  return value;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** `determine`: prints the actions; a refusal (e.g. an overzicht older than 4 weeks) is exit 2 with the reason. */
export async function determine(args: string[], stdout: Out): Promise<number> {
  const o = options("determine", args, ["lvs", "bron", "memory", "today"], ["lvs", "bron"]);
  const lvs = await readLvsSnapshot(o.lvs!);
  const bron = await readJsonFile(o.bron!, BronMirror);
  const memory = o.memory === undefined ? EMPTY_MEMORY : await readJsonFile(o.memory, ActionMemory);
  const result = determineActions(lvs, bron, memory, todayFrom(o.today));
  if (!result.ok) throw new InputError(`acties bepalen geweigerd: ${result.reason}`);
  stdout.write(json(result.actions));
  return 0;
}

/** `check`: prints the signals of every action. */
export async function check(args: string[], stdout: Out): Promise<number> {
  const o = options("check", args, ["lvs", "actions", "today"], ["lvs", "actions"]);
  const lvs = await readLvsSnapshot(o.lvs!);
  const actions = await readJsonFile(o.actions!, z.array(Action));
  stdout.write(json(checkActions(actions, lvs, todayFrom(o.today))));
  return 0;
}

/** `feedback`: applies feedback messages to a mirror and prints the outcome. */
export async function feedback(args: string[], stdout: Out): Promise<number> {
  const o = options("feedback", args, ["bron", "actions", "messages", "today"], ["bron", "actions", "messages"]);
  const mirror = await readJsonFile(o.bron!, BronMirror);
  const actions = await readJsonFile(o.actions!, z.array(Action));
  const messages = await readJsonFile(o.messages!, z.array(FeedbackMessage));
  const r = applyFeedback(mirror, actions, messages, todayFrom(o.today));
  // per answered action its new status (null: a deleted action whose answer reached the mirror), and the list after it
  const actionUpdates = r.actionUpdates.map((u) => ({ actionId: u.actionId, status: u.action?.status ?? null, signals: u.signals }));
  stdout.write(json({ ...r, actionUpdates, actions: actionsAfterFeedback(actions, r) }));
  return 0;
}

const VALIDATORS: Readonly<Record<string, (v: string) => Check>> = { bsn: checkBsn, onderwijsnummer: checkOnderwijsnummer, postcode: checkPostcode };

/** `validate bsn|onderwijsnummer|postcode VALUE`: exit 0 valid, 1 invalid, one line either way. */
export function validate(args: string[], stdout: Out): number {
  const [kind, value, ...extra] = args;
  const validator = kind === undefined ? undefined : VALIDATORS[kind];
  if (validator === undefined || value === undefined || extra.length > 0) {
    throw new InputError("validate: gebruik bronsync validate bsn|onderwijsnummer|postcode WAARDE");
  }
  const r = validator(value);
  stdout.write(r.ok ? `geldig ${kind}\n` : `ongeldig ${kind}: ${r.reason}\n`);
  return r.ok ? 0 : 1;
}
