/**
 * The HTTP contract (design.md §5.3) as zod schemas: what docs/openapi.json is generated from
 * (`npm run openapi`) and what the tests parse real answers with. Classic zod: only the admin,
 * history, lists, status, stats, exports, list-checks and jobs functions parse their requests with these schemas at run time; the other handlers and the
 * store take their types from here with `import type`. The check function's own parser is
 * check-request.ts (zod/mini).
 */
import * as admin from "./admin.js";
import * as allowlist from "./allowlist.js";
import * as check from "./check.js";
import * as exportsContract from "./exports.js";
import * as history from "./history.js";
import * as ingestion from "./ingestion.js";
import * as jobs from "./jobs.js";
import * as keys from "./keys.js";
import * as listChecks from "./list-checks.js";
import * as lists from "./lists.js";
import * as problem from "./problem.js";
import * as stats from "./stats.js";
import * as status from "./status.js";
import * as suppressions from "./suppressions.js";
import * as taxonomy from "./taxonomy.js";
import * as unsubscribe from "./unsubscribe.js";

export * from "./admin.js";
export * from "./allowlist.js";
export * from "./check.js";
export * from "./check-request.js";
export * from "./exports.js";
export * from "./history.js";
export * from "./ingestion.js";
export * from "./jobs.js";
export * from "./keys.js";
export * from "./list-checks.js";
export * from "./lists.js";
export * from "./problem.js";
export * from "./stats.js";
export * from "./status.js";
export * from "./suppressions.js";
export * from "./taxonomy.js";
export * from "./unsubscribe.js";

/** Every component schema, by its OpenAPI name. */
export const COMPONENTS = {
  Health: problem.Health,
  Scope: taxonomy.Scope,
  EventType: taxonomy.EventType,
  Subtype: taxonomy.Subtype,
  Reason: taxonomy.Reason,
  Cause: taxonomy.Cause,
  Provider: taxonomy.Provider,
  EventSource: taxonomy.EventSource,
  Source: taxonomy.Source,
  FeedbackType: taxonomy.FeedbackType,
  UnsubscribeReason: taxonomy.UnsubscribeReason,
  VerdictReason: taxonomy.VerdictReason,
  CheckRequest: check.CheckRequest,
  SuppressedVerdict: check.SuppressedVerdict,
  UnsuppressedVerdict: check.UnsuppressedVerdict,
  BadAddressVerdict: check.BadAddressVerdict,
  Verdict: check.Verdict,
  CheckResponse: check.CheckResponse,
  LiveEntry: suppressions.LiveEntry,
  SuppressedAddressView: suppressions.SuppressedAddressView,
  UnsuppressedAddressView: suppressions.UnsuppressedAddressView,
  BadAddressView: suppressions.BadAddressView,
  AddressView: suppressions.AddressView,
  ManualSuppressionRequest: admin.ManualSuppressionRequest,
  ManualSuppressionAnswer: admin.ManualSuppressionAnswer,
  RemovalAnswer: admin.RemovalAnswer,
  AllowRequest: allowlist.AllowRequest,
  AllowlistEntry: allowlist.AllowlistEntry,
  AllowlistPage: allowlist.AllowlistPage,
  AllowlistState: allowlist.AllowlistState,
  DisallowAnswer: allowlist.DisallowAnswer,
  EventHistoryEntry: history.EventHistoryEntry,
  AdminHistoryEntry: history.AdminHistoryEntry,
  HistoryEntry: history.HistoryEntry,
  HistoryPage: history.HistoryPage,
  ListedCause: lists.ListedCause,
  ListEntry: lists.ListEntry,
  ListPage: lists.ListPage,
  StatusPage: status.StatusPage,
  EventCounts: status.EventCounts,
  StatsGroupBy: stats.StatsGroupBy,
  StatsCounts: stats.StatsCounts,
  StatsRow: stats.StatsRow,
  Stats: stats.Stats,
  JobStatus: jobs.JobStatus,
  JobId: jobs.JobId,
  JobProgress: jobs.JobProgress,
  ExportKind: exportsContract.ExportKind,
  ExportFormat: exportsContract.ExportFormat,
  SuppressionsExportFilters: exportsContract.SuppressionsExportFilters,
  EventsExportFilters: exportsContract.EventsExportFilters,
  ExportRequest: exportsContract.ExportRequest,
  ExportJob: exportsContract.ExportJob,
  ExportPage: exportsContract.ExportPage,
  ListCheckColumn: listChecks.ListCheckColumn,
  ListCheckStartRequest: listChecks.ListCheckStartRequest,
  ListCheckUpload: listChecks.ListCheckUpload,
  ListCheckFiles: listChecks.ListCheckFiles,
  DropCause: listChecks.DropCause,
  ListCheckSummary: listChecks.ListCheckSummary,
  ListCheckJob: listChecks.ListCheckJob,
  ListCheckPage: listChecks.ListCheckPage,
  Smtp: taxonomy.Smtp,
  EventView: ingestion.EventView,
  DecisionView: ingestion.DecisionView,
  IngestSummary: ingestion.IngestSummary,
  SnsControlAnswer: ingestion.SnsControlAnswer,
  ApiScope: keys.ApiScope,
  Tenant: keys.Tenant,
  CreateKeyRequest: keys.CreateKeyRequest,
  KeyView: keys.KeyView,
  CreatedKey: keys.CreatedKey,
  KeysPage: keys.KeysPage,
  Me: keys.Me,
  UnsubscribeLinkRequest: unsubscribe.UnsubscribeLinkRequest,
  UnsubscribeHeaders: unsubscribe.UnsubscribeHeaders,
  UnsubscribeLink: unsubscribe.UnsubscribeLink,
  UnsubscribeLinks: unsubscribe.UnsubscribeLinks,
  InputIssue: problem.InputIssue,
  ProblemDocument: problem.ProblemDocument,
} as const;
export type ComponentName = keyof typeof COMPONENTS;
