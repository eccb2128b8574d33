/** Defined in contract/ingest/normalise/address.ts (the module connectors and the Worker share); this path re-exports it. */
export * from "../../../../../connectors/contract/ingest/normalise/address";
