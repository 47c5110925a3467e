/**
 * The address page (the most used): the verdict in words, every live entry with its cause, scope
 * and expiry, the allowlist state, the history as a timeline, and the operator's actions.
 */
import { useState } from "preact/hooks";
import type { AllowlistState } from "../../../lambdas/contract/allowlist.js";
import type { HistoryPage } from "../../../lambdas/contract/history.js";
import type { AddressView } from "../../../lambdas/contract/suppressions.js";
import { segment } from "../api.js";
import { useApp } from "../context.js";
import { navigate } from "../navigation.js";
import { verdictSentence } from "../verdict.js";
import { AllowlistPanel } from "./allowlist-panel.js";
import { Field, Show, useLoad } from "./common.js";
import { EntriesTable } from "./entries-table.js";
import { HistoryTimeline } from "./history-timeline.js";
import { ManualEntryForm } from "./manual-entry-form.js";

export function AddressPage({ address }: { address: string | null }) {
  const { t } = useApp();
  return (
    <>
      <h1>{t.lookupTitle}</h1>
      <LookupForm key={address ?? ""} initial={address ?? ""} />
      {address === null ? (
        <p class="muted">{t.nothingYet}</p>
      ) : (
        <AddressDetails key={address} address={address} />
      )}
    </>
  );
}

function LookupForm({ initial }: { initial: string }) {
  const { t } = useApp();
  const [text, setText] = useState(initial);
  return (
    <form
      class="lookup"
      onSubmit={(event) => {
        event.preventDefault();
        const value = text.trim();
        if (value !== "") navigate({ page: "address", address: value });
      }}
    >
      <Field label={t.lookupLabel}>
        <input
          type="text"
          name="address"
          inputMode="email"
          autocomplete="off"
          spellcheck={false}
          placeholder={t.lookupPlaceholder}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </Field>
      <button type="submit" class="primary">
        {t.lookup}
      </button>
    </form>
  );
}

function AddressDetails({ address }: { address: string }) {
  const { t, lang, api } = useApp();
  const [notice, setNotice] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const path = segment(address);
  const [view, reloadView] = useLoad(
    (signal) => api<AddressView>("GET", `/v1/suppressions/${path}`, { signal }),
    `${address}#${round}`,
  );
  const [allow, reloadAllow] = useLoad(
    (signal) => api<AllowlistState>("GET", `/v1/allowlist/${path}`, { signal }),
    `${address}#${round}`,
  );
  const changed = (message: string) => {
    setNotice(message);
    setRound((n) => n + 1);
  };
  return (
    <>
      <Show loaded={view} onRetry={reloadView}>
        {(v) => (
          <section aria-labelledby="verdict-title">
            <h2 id="verdict-title" class="visually-hidden">
              {v.address}
            </h2>
            <p class={`verdict ${v.suppressed ? "is-suppressed" : "is-clear"}`} data-testid="verdict">
              {verdictSentence(v, lang)}
            </p>
          </section>
        )}
      </Show>
      <p class="notice" role="status" aria-live="polite">
        {notice ?? ""}
      </p>
      <Show loaded={view} onRetry={reloadView}>
        {(v) => <EntriesTable view={v} onChanged={changed} />}
      </Show>
      <Show loaded={allow} onRetry={reloadAllow}>
        {(a) => <AllowlistPanel address={address} state={a} onChanged={changed} />}
      </Show>
      <ManualEntryForm address={address} onChanged={changed} />
      <HistorySection address={address} round={round} title={t.historyTitle} />
    </>
  );
}

function HistorySection({ address, round, title }: { address: string; round: number; title: string }) {
  const { api } = useApp();
  const [extra, setExtra] = useState<{ round: number; pages: HistoryPage[] }>({ round, pages: [] });
  const [first, reload] = useLoad(
    (signal) => api<HistoryPage>("GET", `/v1/events/${segment(address)}`, { query: { limit: 20 }, signal }),
    `${address}#${round}`,
  );
  const pages = extra.round === round ? extra.pages : [];
  const more = async (cursor: string) => {
    const page = await api<HistoryPage>("GET", `/v1/events/${segment(address)}`, {
      query: { limit: 20, cursor },
    });
    setExtra({ round, pages: [...pages, page] });
  };
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{title}</h2>
      <Show loaded={first} onRetry={reload}>
        {(page) => <HistoryTimeline pages={[page, ...pages]} onMore={more} />}
      </Show>
    </section>
  );
}
