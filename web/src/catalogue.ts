// The operation catalogue (GET /api/operations): each operation's parameters with their
// defaults, bounds and units, and its declared result fields with their units. Pages read
// inputs' bounds and figures' units from here instead of repeating the server's numbers.

export interface ParamSpec {
  name: string;
  type: "integer" | "number" | "boolean" | "enum";
  description: string;
  default?: unknown;
  min?: number;
  max?: number;
  unit?: string;
  choices?: string[];
  required?: boolean;
}

export interface ResultField {
  name: string;
  type: string;
  description: string;
  unit?: string;
  element?: string;
  fields?: ResultField[];
}

export interface OperationSpec {
  name: string;
  description: string;
  params: ParamSpec[];
  result?: ResultField[];
}

export interface Catalogue {
  operations: OperationSpec[];
  filters: Record<string, unknown>;
}

export function operation(catalogue: Catalogue, name: string): OperationSpec {
  const op = catalogue.operations.find((o) => o.name === name);
  if (!op) throw new Error(`the server has no operation ${name}`);
  return op;
}

export function param(op: OperationSpec, name: string): ParamSpec {
  const p = op.params.find((s) => s.name === name);
  if (!p) throw new Error(`${op.name} has no parameter ${name}`);
  return p;
}

// The declared field at a dotted path. A list's or a map's declaration carries its elements'
// fields, so the path goes through its name: "rows.clv" is field clv of the rows' elements,
// "baselines.roc_auc" field roc_auc of every value of the baselines map. A list of numbers
// ("roc_auc_ci") declares its elements' unit on itself.
export function resultField(op: OperationSpec, path: string): ResultField | undefined {
  let fields = op.result ?? [];
  let found: ResultField | undefined;
  for (const part of path.split(".")) {
    found = fields.find((f) => f.name === part);
    if (!found) return undefined;
    fields = found.fields ?? [];
  }
  return found;
}

// The unit of the declared field at `path`; undefined when it has none.
export function resultUnit(op: OperationSpec, path: string): string | undefined {
  return resultField(op, path)?.unit;
}

// A page's units from an operation's schema. The page lists the dotted paths whose units it
// shows (exported, so a unit test checks that each is declared) and asks only for those: the
// lookup's type admits no other path. A path the schema declares no unit for answers undefined,
// and the figure shows plain (withUnit's default), never with a unit the page made up.
export function unitLookup<P extends string>(op: OperationSpec, paths: readonly P[]): (path: P) => string | undefined {
  const units = new Map<string, string | undefined>(paths.map((p) => [p, resultUnit(op, p)]));
  return (path: P) => units.get(path);
}

// The paths among `paths` that the operation's schema declares no unit for.
export function undeclaredUnits(op: OperationSpec, paths: readonly string[]): string[] {
  return paths.filter((p) => resultUnit(op, p) === undefined);
}

// A number input's attributes from a parameter's declaration: the default (or the page's own
// value), its bounds, and "any" as the step for numbers, 1 for integers.
export interface NumberInput {
  value: string;
  min: string;
  max: string;
  step: string;
  unit?: string;
}

export function numberInput(spec: ParamSpec, given?: string | null): NumberInput {
  const value = given ?? (spec.default === null || spec.default === undefined ? "" : String(spec.default));
  return {
    value,
    min: spec.min === undefined ? "" : String(spec.min),
    max: spec.max === undefined ? "" : String(spec.max),
    step: spec.type === "integer" ? "1" : "any",
    unit: spec.unit,
  };
}

// A title with the parameter's unit: "Budget (CAD)", "Save rate (0-1)" for a fraction.
export function titled(title: string, unit: string | undefined): string {
  if (!unit) return title;
  return `${title} (${unit === "fraction" ? "0-1" : unit})`;
}
