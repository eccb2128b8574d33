/** The connector framework's public surface (Worker glue, CLI, enrichment). */
export * from "./connector";
export * from "./errors";
export * from "./fetcher";
export * from "./health";
export * from "./item";
export * from "./kv";
export * from "./mill-client";
export * from "./run";
