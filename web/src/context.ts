import type { Filters } from "./filters";

// What a page gets: where to draw, the filters, its own URL parameters, and navigation.
export interface PageContext {
  root: HTMLElement;
  filters: Filters;
  api: Record<string, unknown>; // the filters as the API takes them
  params: URLSearchParams; // the page's own parameters (besides filters)
  // Opens a page with its own parameters, keeping the filters unless others are given.
  go: (page: string, extra?: Record<string, string>, filters?: Filters) => void;
  health: Promise<any>; // /api/health's answer
  catalogue: Promise<any>; // /api/operations' answer: the operations and the filters' choices
}

export type Page = (ctx: PageContext) => Promise<void>;
