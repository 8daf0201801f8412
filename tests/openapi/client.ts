// Uses the types generated from /v1/openapi.json the way a client would: a filing, a case and
// lists by their real field names. A response typed as a bare object (Record<string, never>)
// or a field the document does not declare fails to compile.
import type { components, paths } from "./generated/docket";

type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: { "application/json": infer B } } } }
    ? B
    : never;

type Filing = Json<"/v1/filings/{filing_id}", "get", 200>;
type Case = Json<"/v1/cases/{case_number}", "get", 200>;
type MyFilings = Json<"/v1/me/filings", "get", 200>;
type CaseList = Json<"/v1/cases", "get", 200>;
type Started = Json<"/v1/filings", "post", 201>;
type Problem = components["schemas"]["Problem"];

export function describeFiling(f: Filing): string {
  const status: "draft" | "submitted" | "correction_requested" | "accepted" | "rejected" |
    "cancelled" | "returned" | "deleted" | "in_mediation" | "mediated" = f.status;
  const plaintiff: string | undefined = f.plaintiffs[0];
  const party = f.parties[0];
  const standing: "plaintiff" | "defendant" | "third_party" | undefined = party?.standing;
  const due: number | null = f.review_due_at_us;
  const notice = f.correction_notice;
  const firstItem: string | undefined = notice?.items[0]?.message;
  const done: boolean = f.steps.identity_papers;
  return `${f.filing_id} ${status} ${plaintiff} ${standing} ${due} ${firstItem} ${done}`;
}

export function describeCase(c: Case): string {
  const status: "open" | "withdrawn" | "closed" = c.status;
  const hearing = c.hearings[0];
  const starts: number | undefined = hearing?.starts_at_us;
  const standing: "plaintiff" | "defendant" | "third_party" | undefined = c.parties[0]?.standing;
  const fee: number | undefined = c.payment?.amount_fen;
  const signedAt: number | null | undefined = c.documents[0]?.signed_at_us;
  return `${c.case_number} ${status} ${starts} ${standing} ${fee} ${signedAt}`;
}

export function listFilings(list: MyFilings, cases: CaseList): string[] {
  const ids: string[] = list.items.map((f) => `${f.filing_id}:${f.role}`);
  const numbers: string[] = cases.items.map((c) => c.case_number + c.plaintiffs.join(","));
  const more: string | undefined = list.next_cursor ?? cases.next_cursor;
  return more === undefined ? ids.concat(numbers) : ids.concat(numbers, [more]);
}

export function started(s: Started): string {
  const position: number = s.position;
  return `${s.created_id} at ${position}`;
}

export function explain(p: Problem): string {
  return `${p.status} ${p.code}: ${p.detail} ${p.violations.map((v) => v.field).join(",")}`;
}
