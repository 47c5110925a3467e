/** Whether the address (or its domain) is on the allowlist, and the buttons to change that. */
import { useState } from "preact/hooks";
import type { AllowlistState } from "../../../lambdas/contract/allowlist.js";
import { MAX_NOTE_CHARS } from "../../../lambdas/core/limits.js";
import { segment } from "../api.js";
import { useApp } from "../context.js";
import { minute } from "../format.js";
import { Field } from "./common.js";
import { subjectPath } from "./entries-table.js";
import { ProblemLine, useAction } from "./forms.js";

export function AllowlistPanel({
  address,
  state,
  onChanged,
}: {
  address: string;
  state: AllowlistState;
  onChanged: (notice: string) => void;
}) {
  const { t, api } = useApp();
  const [note, setNote] = useState("");
  const { busy, problem, run } = useAction();

  const act = (method: "PUT" | "DELETE", subject: string, done: string) =>
    run(async () => {
      await api(method, `/v1/allowlist/${segment(subject)}`, {
        ...(method === "PUT" && note.trim() ? { body: { note: note.trim() } } : {}),
      });
      setNote("");
      onChanged(done);
    });

  return (
    <section aria-labelledby="allow-title" class="panel">
      <h2 id="allow-title">{t.allowTitle}</h2>
      {state.entries.length > 0 ? (
        <ul class="plain">
          {state.entries.map((entry) => (
            <li key={subjectPath(entry)}>
              <span data-testid="allowlist-state">{t.allowOn({ subject: subjectPath(entry) })}</span>{" "}
              <span class="muted">
                {minute(entry.since)} · {t.by({ name: entry.actor.name })}
                {entry.note ? ` · ${entry.note}` : ""}
              </span>{" "}
              <button
                type="button"
                disabled={busy}
                onClick={() => act("DELETE", subjectPath(entry), t.disallowed)}
              >
                {t.allowRemove}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <form
          class="inline"
          onSubmit={(event) => {
            event.preventDefault();
            void act("PUT", address, t.allowed);
          }}
        >
          <p data-testid="allowlist-state">{t.allowOff}</p>
          <Field label={t.allowNote}>
            <input
              type="text"
              name="allow-note"
              maxLength={MAX_NOTE_CHARS}
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" disabled={busy}>
            {t.allowAdd}
          </button>
        </form>
      )}
      <ProblemLine text={problem} />
    </section>
  );
}
