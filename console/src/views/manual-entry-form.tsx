/** A manual entry: an address or a whole `@domain`, at a scope, with a note and an optional expiry. */
import { useState } from "preact/hooks";
import type { ManualSuppressionAnswer } from "../../../lambdas/contract/admin.js";
import { MAX_NOTE_CHARS } from "../../../lambdas/core/limits.js";
import { segment } from "../api.js";
import { useApp } from "../context.js";
import { fromLocalInput } from "../format.js";
import { navigate } from "../navigation.js";
import { Field } from "./common.js";
import { subjectPath } from "./entries-table.js";
import { ProblemLine, useAction } from "./forms.js";

export function ManualEntryForm({
  address,
  onChanged,
}: {
  address: string;
  onChanged: (notice: string) => void;
}) {
  const { t, api } = useApp();
  const [subject, setSubject] = useState(address);
  const [scope, setScope] = useState("*");
  const [note, setNote] = useState("");
  const [expires, setExpires] = useState("");
  const { busy, problem, run } = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const expiresAt = fromLocalInput(expires);
    void run(async () => {
      const answer = await api<ManualSuppressionAnswer>(
        "PUT",
        `/v1/suppressions/${segment(subject.trim())}`,
        {
          body: {
            scope: scope.trim() || "*",
            ...(note.trim() ? { note: note.trim() } : {}),
            ...(expiresAt ? { expiresAt } : {}),
          },
        },
      );
      const added = subjectPath(answer);
      setNote("");
      setExpires("");
      if (added === address) onChanged(t.manualAdded({ subject: added }));
      else navigate({ page: "address", address: added });
    });
  };

  return (
    <details class="panel">
      <summary>
        <h2>{t.manualTitle}</h2>
      </summary>
      <form onSubmit={submit} class="grid">
        <Field label={t.manualSubject}>
          <input
            type="text"
            name="manual-subject"
            required
            autocomplete="off"
            spellcheck={false}
            value={subject}
            onInput={(e) => setSubject(e.currentTarget.value)}
          />
        </Field>
        <Field label={t.manualScope}>
          <input
            type="text"
            name="manual-scope"
            value={scope}
            onInput={(e) => setScope(e.currentTarget.value)}
          />
        </Field>
        <Field label={t.manualNote}>
          <input
            type="text"
            name="manual-note"
            maxLength={MAX_NOTE_CHARS}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </Field>
        <Field label={`${t.manualExpires} (UTC)`}>
          <input
            type="datetime-local"
            name="manual-expires"
            value={expires}
            onInput={(e) => setExpires(e.currentTarget.value)}
          />
        </Field>
        <ProblemLine text={problem} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || subject.trim() === ""}>
            {busy ? t.working : t.manualAdd}
          </button>
        </div>
      </form>
    </details>
  );
}
