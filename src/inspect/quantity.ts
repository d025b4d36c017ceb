/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `2`, `1e3`, `128M`), parsed exactly. Values
 * are held as integers of nano-units (bigint), so sums of many small requests never drift the
 * way floats do; fractions below a nano-unit round up, as the API server rounds them.
 */

const NANO = 1_000_000_000n;

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

/** Decimal SI suffixes as powers of ten. */
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

// <sign><digits>[.<digits>] then a binary suffix, a decimal suffix or an exponent. "1E" is
// exa and "1E3" is a thousand: the suffix alternative is tried first and backtracks.
const QUANTITY =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** Thrown for a string that is not a Kubernetes quantity. */
export class QuantityError extends Error {}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Divides rounding up (towards +∞), the way the API server rounds sub-nano fractions. */
function divCeil(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** Parses a quantity (string or YAML number) into nano-units: `"250m"` → 250_000_000n. */
export function parseQuantity(input: string | number): bigint {
  const text = typeof input === "number" ? numberText(input) : input.trim();
  const m = QUANTITY.exec(text);
  if (!m) throw new QuantityError(`"${String(input)}" is not a Kubernetes quantity`);
  const [, sign = "", number = "", suffix, exponent] = m;
  const [whole = "", frac = ""] = number.split(".");
  let value = BigInt(`${whole || "0"}${frac}`); // the mantissa scaled by 10^frac.length
  let scale = -frac.length; // value × 10^scale is the number
  if (suffix && suffix in BINARY) value *= BINARY[suffix] as bigint;
  else if (suffix !== undefined) scale += DECIMAL[suffix] as number;
  if (exponent !== undefined) scale += Number(exponent);
  scale += 9; // to nano-units
  const nano = scale >= 0 ? value * pow10(scale) : divCeil(value, pow10(-scale));
  return sign === "-" ? -nano : nano;
}

/** A JS number written without exponent loss (YAML `cpu: 0.5` arrives as a number). */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError(`${n} is not a Kubernetes quantity`);
  return String(n); // String() gives "1e-7" style for tiny numbers, which the grammar accepts
}

/** Nano-units → a JS number of whole units (cores, bytes, GPUs), for JSON output. */
export function toUnits(nano: bigint): number {
  return Number(nano) / 1e9;
}

/** CPU for people: whole cores when exact ("2"), else millicores ("1500m"). */
export function formatCpu(nano: bigint): string {
  if (nano === 0n) return "0";
  if (nano % NANO === 0n) return String(nano / NANO);
  const milli = divCeil(nano, 1_000_000n);
  return `${milli}m`;
}

/** Bytes for people in binary units with up to two decimals: "1.5Gi", "512Mi", "100". */
export function formatBytes(nano: bigint): string {
  const bytes = divCeil(nano, NANO);
  if (bytes === 0n) return "0";
  const units: [string, bigint][] = [
    ["Ei", BINARY.Ei as bigint],
    ["Pi", BINARY.Pi as bigint],
    ["Ti", BINARY.Ti as bigint],
    ["Gi", BINARY.Gi as bigint],
    ["Mi", BINARY.Mi as bigint],
    ["Ki", BINARY.Ki as bigint],
  ];
  for (const [unit, size] of units) {
    if (bytes >= size) {
      const hundredths = (bytes * 100n + size / 2n) / size;
      const text = (Number(hundredths) / 100).toFixed(2).replace(/\.?0+$/, "");
      return `${text}${unit}`;
    }
  }
  return String(bytes);
}

/** A count (GPUs) for people: "1", "0.5". */
export function formatCount(nano: bigint): string {
  return String(toUnits(nano));
}
