export { type Db, getDb, getSql, schema, type TxDb, withTransaction } from "./client";
