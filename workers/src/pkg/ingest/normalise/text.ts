/** Defined in contract/ingest/normalise/text.ts (the module connectors and the Worker share); this path re-exports it. */
export * from "../../../../../connectors/contract/ingest/normalise/text";
