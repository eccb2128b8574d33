export { crawlSchedule, crawlSettings } from "./config";
export { consumeCrawlTasks, runCrawlTask, storeDeadCrawlTasks } from "./consumer";
export { enqueueScheduledCrawls } from "./cron";
export type { CrawlTask } from "./tasks";
