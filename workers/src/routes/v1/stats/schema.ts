import { z } from "@hono/zod-openapi";
import { filterQueryShape } from "../../../pkg/search/params";
import { GROUP_BYS } from "../../../pkg/search/stats";

export const StatsQuerySchema = z
  .object({
    ...filterQueryShape,
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code")
      .transform((c) => c.toUpperCase())
      .optional()
      .openapi({
        description:
          "One market's money: only properties priced in this ISO 4217 currency. Groups are always per currency; " +
          "with `currency` a series (e.g. by month) has one currency and can be drawn on one axis.",
        example: "USD",
      }),
    group_by: z
      .enum(GROUP_BYS)
      .default("none")
      .openapi({
        description:
          "`month` and `week` group by when the listing was listed (UTC; weeks start on Monday). `country` lists the " +
          "markets (country and currency), largest first.",
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
      description: "Group value: country code, city key, postal code, type, `YYYY-MM`, week's Monday, or `all`",
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
    median_days_on_market: z
      .number()
      .nullable()
      .openapi({
        description:
          "Days from the listing date to the sale date as the sources report them (or to now, if unsold). Sales " +
          "reported without an earlier listing date (datasets of sales) have no time on the market and are left " +
          "out; null when no property has one.",
      }),
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
