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
