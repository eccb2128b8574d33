export { getRedis } from "./client";
