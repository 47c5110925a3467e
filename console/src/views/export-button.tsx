/** "Export" on the lists and the status view: starts an export of what the page shows, then opens the exports page. */
import type { ExportJob, ExportRequest } from "../../../lambdas/contract/exports.js";
import { useApp } from "../context.js";
import { navigate } from "../navigation.js";
import { exportsRoute } from "./exports-page.js";
import { ProblemLine, useAction } from "./forms.js";

/**
 * Starts `request` (`POST /v1/exports`: the page's filters, those in the URL) and goes to the exports
 * page, where the new task is at the top.
 *
 * @example
 * <ExportButton label={t.exportThisList} request={{ kind: "suppressions", filters: params }} />
 */
export function ExportButton({ request, label }: { request: ExportRequest; label: string }) {
  const { t, api } = useApp();
  const { busy, problem, run } = useAction();
  const start = () =>
    void run(async () => {
      const job = await api<ExportJob>("POST", "/v1/exports", { body: request });
      navigate(exportsRoute(job.id));
    });
  return (
    <div class="export-action">
      <button type="button" onClick={start} disabled={busy}>
        {busy ? t.working : label}
      </button>
      <ProblemLine text={problem} />
    </div>
  );
}
