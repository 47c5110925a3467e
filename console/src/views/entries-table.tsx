/** The live entries of an address, each removable with a reason (a warning first for complaints). */
import { useEffect, useRef, useState } from "preact/hooks";
import type { RemovalAnswer } from "../../../lambdas/contract/admin.js";
import type { AddressView, LiveEntry } from "../../../lambdas/contract/suppressions.js";
import { MAX_NOTE_CHARS } from "../../../lambdas/core/limits.js";
import { segment } from "../api.js";
import { useApp } from "../context.js";
import { minute } from "../format.js";
import { CAUSE_LABELS } from "../i18n.js";
import { sourceName } from "../providers.js";
import { Field, ReasonText, TableHead } from "./common.js";
import { ProblemLine, useAction } from "./forms.js";

/** The `{address}` path segment of an entry's subject: the address, or `@domain`. */
export const subjectPath = (entry: Pick<LiveEntry, "subjectKind" | "subject">): string =>
  entry.subjectKind === "domain" ? `@${entry.subject}` : entry.subject;

export function EntriesTable({
  view,
  onChanged,
}: {
  view: AddressView;
  onChanged: (notice: string) => void;
}) {
  const { t, lang } = useApp();
  const [removing, setRemoving] = useState<LiveEntry | null>(null);
  if (view.entries.length === 0) {
    return (
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">{t.entriesTitle}</h2>
        <p class="muted">{t.noEntries}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="entries-title">
      <h2 id="entries-title">{t.entriesTitle}</h2>
      <div class="table-wrap">
        <table>
          <TableHead
            columns={[
              t.colCause,
              t.colReason,
              t.colScope,
              t.colSince,
              t.colExpires,
              t.colSource,
              t.colRule,
              t.colActions,
            ]}
          />
          <tbody>
            {view.entries.map((entry) => {
              const id = `${entry.subjectKind}:${entry.subject}:${entry.scope}:${entry.cause}`;
              return (
                <tr key={id}>
                  <td>
                    {CAUSE_LABELS[entry.cause][lang]}
                    {entry.subjectKind === "domain" ? (
                      <div class="muted">{t.domainWide({ domain: entry.subject })}</div>
                    ) : null}
                  </td>
                  <td>
                    <ReasonText reason={entry.reason} />
                    {entry.note ? <div class="note">{entry.note}</div> : null}
                  </td>
                  <td>
                    <code>{entry.scope === "*" ? t.allScope : entry.scope}</code>
                  </td>
                  <td>{minute(entry.since)}</td>
                  <td>{entry.expiresAt ? minute(entry.expiresAt) : t.never}</td>
                  <td>{sourceName(entry.source, lang)}</td>
                  <td>{entry.rule ? <code>{entry.rule}</code> : "—"}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`${t.remove}: ${CAUSE_LABELS[entry.cause][lang]} (${entry.scope})`}
                      onClick={() => setRemoving(entry)}
                    >
                      {t.remove}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {removing ? (
        <RemoveForm
          entry={removing}
          onCancel={() => setRemoving(null)}
          onDone={(notice) => {
            setRemoving(null);
            onChanged(notice);
          }}
        />
      ) : null}
    </section>
  );
}

function RemoveForm({
  entry,
  onCancel,
  onDone,
}: {
  entry: LiveEntry;
  onCancel: () => void;
  onDone: (notice: string) => void;
}) {
  const { t, lang, api } = useApp();
  const [reason, setReason] = useState("");
  const { busy, problem, run } = useAction();
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);
  const cause = CAUSE_LABELS[entry.cause][lang];
  const label = (causes: readonly LiveEntry["cause"][]) =>
    causes.map((c) => CAUSE_LABELS[c][lang]).join(", ");

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api<RemovalAnswer>("DELETE", `/v1/suppressions/${segment(subjectPath(entry))}`, {
        query: { cause: entry.cause, scope: entry.scope, reason: reason.trim() },
      });
      const notices = [t.removed({ causes: label(answer.removed) })];
      if (answer.kept.length > 0) notices.push(t.keptNewer({ causes: label(answer.kept) }));
      onDone(notices.join(" "));
    });
  };

  return (
    <form class="panel" onSubmit={submit} aria-labelledby="remove-title">
      <h3 id="remove-title">{t.removeTitle({ cause })}</h3>
      {entry.cause === "complaint" ? (
        <p class="warning" role="alert">
          {t.complaintWarning}
        </p>
      ) : null}
      <Field label={t.removeReason}>
        <textarea
          name="reason"
          required
          maxLength={MAX_NOTE_CHARS}
          rows={2}
          ref={field}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </Field>
      <ProblemLine text={problem} />
      <div class="actions">
        <button type="submit" class="danger" disabled={busy || reason.trim() === ""}>
          {busy ? t.working : t.removeConfirm}
        </button>
        <button type="button" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
