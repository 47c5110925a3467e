/** Times as operators read them: UTC, to the minute, the same in both languages. */

/** `2027-05-19` */
export const day = (iso: string): string => iso.slice(0, 10);

/** `2026-11-20 10:00 UTC` */
export const minute = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** An `<input type="datetime-local">` value (read as UTC) → ISO, or `undefined` when empty. */
export function fromLocalInput(value: string): string | undefined {
  if (value.trim() === "") return undefined;
  const date = new Date(`${value}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** ISO → an `<input type="datetime-local">` value in UTC. */
export const toLocalInput = (iso: string | undefined): string => (iso ? iso.slice(0, 16) : "");

const COUNT = new Intl.NumberFormat("en-US");

/** `12,345`: counts, grouped the same in both languages. */
export const count = (n: number): string => COUNT.format(n);

/**
 * A rate (a fraction) as a percentage with at most three decimals, `—` when there is none.
 *
 * @example
 * percent(0.02); // "2%"
 * percent(0.001); // "0.1%"
 * percent(0.000417); // "0.042%"
 */
export function percent(rate: number | null): string {
  if (rate === null) return "—";
  return `${Number((rate * 100).toFixed(3))}%`;
}

/**
 * A file's size, in the binary units the limits are written in.
 *
 * @example
 * fileSize(5 * 1024 * 1024); // "5 MiB"
 * fileSize(1536); // "1.5 KiB"
 */
export function fileSize(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`;
}
