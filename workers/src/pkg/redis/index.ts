export { getRawRedis, getRedis } from "./client";
