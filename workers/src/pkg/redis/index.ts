export { getRawRedis, getRedis, setLargeValue } from "./client";
