export {
  type Db,
  databaseError,
  getDb,
  getSql,
  type PlannerSettings,
  queryRows,
  schema,
  type TxDb,
  withTransaction,
} from "./client";
