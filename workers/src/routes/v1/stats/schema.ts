import { z } from "@hono/zod-openapi";
import { filterQueryShape } from "../../../pkg/search/params";
import { GROUP_BYS } from "../../../pkg/search/stats";

export const StatsQuerySchema = z
  .object({
    ...filterQueryShape,
    group_by: z.enum(GROUP_BYS).default("none").openapi({
      description: "`month` and `week` group by when the listing was listed (UTC; weeks start on Monday).",
      example: "city",
    }),
  })
  .strict();

const money = (description: string) =>
  z
    .number()
    .nullable()
    .openapi({ description: `${description}, whole currency units` });

export const StatsGroupSchema = z
  .object({
    key: z.string().openapi({
      description: "Group value: city key, postal code, type, `YYYY-MM`, week's Monday, or `all`",
      example: "oakland",
    }),
    label: z.string().openapi({ description: "Display form of the group (e.g. the city as written)", example: "Oakland" }),
    currency: z.string().openapi({ example: "USD" }),
    count: z.number().int(),
    median_price: money("Median price"),
    p25_price: money("25th percentile price"),
    p75_price: money("75th percentile price"),
    avg_price: money("Average price"),
    median_price_per_sqm: money("Median price per m² of living area"),
    median_days_on_market: z.number().nullable().openapi({ description: "Days from listing to sale (or to now, if unsold)" }),
    new_listings: z.number().int().openapi({ description: "Listed in the last 30 days" }),
    price_drops: z.number().int().openapi({ description: "With a price reduction in the last 30 days" }),
  })
  .openapi("StatsGroup");

export const StatsResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      group_by: z.enum(GROUP_BYS),
      activity_window_days: z.number().int(),
      as_of: z.string().datetime().nullable().openapi({
        description: "When the figures were computed, if they come from the 10-minute rollup; null when computed live",
      }),
      groups: z.array(StatsGroupSchema),
      truncated: z.boolean().openapi({ description: "True when there were more than 500 groups; the largest are returned" }),
    }),
  })
  .openapi("StatsResult");
