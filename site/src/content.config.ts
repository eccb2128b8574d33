// The docs live in the repository's top-level docs/ folder (every engineer writes pages there);
// they are served under /docs, so each entry's id gets a "docs/" prefix.

import { defineCollection } from "astro:content";
import { docsSchema } from "@astrojs/starlight/schema";
import { glob } from "astro/loaders";

export const collections = {
  docs: defineCollection({
    loader: glob({
      pattern: "**/*.{md,mdx}",
      base: "../docs",
      generateId: ({ entry }) => {
        const slug = entry.replace(/\.mdx?$/, "").replace(/(^|\/)index$/, "");
        return slug ? `docs/${slug.toLowerCase()}` : "docs";
      },
    }),
    schema: docsSchema(),
  }),
};
