/** The connector framework's public surface (Worker glue, CLI, enrichment). */
export * from "../contract/connector";
export * from "../contract/errors";
export * from "../contract/item";
export * from "./fetcher";
export * from "./health";
export * from "./kv";
export * from "./mill-client";
export * from "./run";
