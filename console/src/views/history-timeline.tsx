/**
 * The history as a timeline, newest first: each provider event with its provider, type and subtype,
 * the classifier's rule, the SMTP diagnostic and the decision; each operator's change with who and why.
 */
import { useState } from "preact/hooks";
import type { HistoryEntry, HistoryPage } from "../../../lambdas/contract/history.js";
import { useApp } from "../context.js";
import { minute } from "../format.js";
import {
  ACTION_LABELS,
  ADMIN_ACTION_LABELS,
  CAUSE_LABELS,
  OUTCOME_LABELS,
  reasonLabel,
  subtypeLabel,
  typeLabel,
  unsubscribeReasonLabel,
} from "../i18n.js";
import { providerTitle } from "../providers.js";

export function HistoryTimeline({
  pages,
  onMore,
}: {
  pages: HistoryPage[];
  onMore: (cursor: string) => Promise<void>;
}) {
  const { t } = useApp();
  const [busy, setBusy] = useState(false);
  const items = pages.flatMap((p) => p.items);
  const cursor = pages.at(-1)?.cursor ?? null;
  if (items.length === 0) return <p class="muted">{t.noHistory}</p>;
  return (
    <>
      <ol class="timeline">
        {items.map((item) => (
          <li
            key={
              item.kind === "event" ? `e:${item.event.provider}:${item.event.eventId}` : `a:${item.actionId}`
            }
          >
            {item.kind === "event" ? <EventItem item={item} /> : <AdminItem item={item} />}
          </li>
        ))}
      </ol>
      {cursor ? (
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onMore(cursor);
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? t.loading : t.more}
        </button>
      ) : null}
    </>
  );
}

/** One provider event (also a row of the status view). */
export function EventItem({ item }: { item: Extract<HistoryEntry, { kind: "event" }> }) {
  const { t, lang } = useApp();
  const { event, decision } = item;
  const subtype = subtypeLabel(event.type, event.subtype, lang);
  const reason = reasonLabel(event.reason, lang);
  const unsubscribe = unsubscribeReasonLabel(event.unsubscribeReason, lang);
  const outcome = item.outcome ?? decision.outcome ?? null;
  return (
    <article class={`event type-${event.type}`}>
      <header>
        <time dateTime={item.at}>{minute(item.at)}</time> ·{" "}
        <strong>{providerTitle(event.provider, lang)}</strong> ·{" "}
        <span class="tag">{typeLabel(event.type, lang)}</span>
        {subtype ? ` · ${subtype}` : ""}
        {reason ? ` · ${reason}` : ""}
        {unsubscribe ? ` · ${unsubscribe}` : ""}
        {event.scope !== "*" ? (
          <>
            {" "}
            · <code>{event.scope}</code>
          </>
        ) : null}
      </header>
      <dl>
        {event.rule ? (
          <>
            <dt>{t.rule}</dt>
            <dd>
              <code>{event.rule}</code>
            </dd>
          </>
        ) : null}
        {event.smtp?.diagnostic || event.smtp?.code ? (
          <>
            <dt>{t.diagnostic}</dt>
            <dd>
              <code class="diagnostic">
                {[event.smtp.code, event.smtp.enhanced, event.smtp.diagnostic].filter(Boolean).join(" ")}
              </code>
            </dd>
          </>
        ) : null}
        <dt>{t.decision}</dt>
        <dd>
          {ACTION_LABELS[decision.action][lang]}
          {decision.cause ? ` (${CAUSE_LABELS[decision.cause][lang]})` : ""}
          {outcome ? ` → ${OUTCOME_LABELS[outcome][lang]}` : ""}
          {decision.expiresAt ? ` · ${t.colExpires} ${minute(decision.expiresAt)}` : ""}
          {decision.why ? <div class="muted">{decision.why}</div> : null}
          {item.applied ? null : <div class="warning">{t.notApplied}</div>}
        </dd>
        {event.tags && event.tags.length > 0 ? (
          <>
            <dt>{t.filterTag}</dt>
            <dd>
              {event.tags.map((tag) => (
                <span key={tag} class="chip">
                  {tag}
                </span>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      <p class="muted small">
        {t.received} {minute(item.receivedAt)} · <code>{event.eventId}</code>
      </p>
    </article>
  );
}

function AdminItem({ item }: { item: Extract<HistoryEntry, { kind: "admin" }> }) {
  const { t, lang } = useApp();
  return (
    <article class="event type-admin">
      <header>
        <time dateTime={item.at}>{minute(item.at)}</time> ·{" "}
        <strong>{ADMIN_ACTION_LABELS[item.action][lang]}</strong> · {t.by({ name: item.actor.name })}
        {item.scope !== "*" ? (
          <>
            {" "}
            · <code>{item.scope}</code>
          </>
        ) : null}
      </header>
      <dl>
        {item.reason ? (
          <>
            <dt>{t.colReason}</dt>
            <dd>{item.reason}</dd>
          </>
        ) : null}
        {item.note ? (
          <>
            <dt>{t.colNote}</dt>
            <dd>{item.note}</dd>
          </>
        ) : null}
        {(item.removed ?? item.causes).length > 0 ? (
          <>
            <dt>{t.colCause}</dt>
            <dd>{(item.removed ?? item.causes).map((c) => CAUSE_LABELS[c][lang]).join(", ")}</dd>
          </>
        ) : null}
        {item.expiresAt ? (
          <>
            <dt>{t.colExpires}</dt>
            <dd>{minute(item.expiresAt)}</dd>
          </>
        ) : null}
      </dl>
      {item.applied ? null : <p class="warning">{t.notApplied}</p>}
    </article>
  );
}
