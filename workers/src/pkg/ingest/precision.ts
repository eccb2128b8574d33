/** Defined in contract/ingest/precision.ts (the module connectors and the Worker share); this path re-exports it. */
export * from "../../../../connectors/contract/ingest/precision";
