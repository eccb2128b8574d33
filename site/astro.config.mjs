// The Pillow site (search, property, market pages) and the Starlight docs, built into site/dist and
// served by the Worker's static assets on the same origin as the API.
import starlight from "@astrojs/starlight";
import { defineConfig } from "astro/config";
import { docsSidebar } from "./docs-sidebar.mjs";

const sidebar = docsSidebar(new URL("../docs/", import.meta.url));

export default defineConfig({
  site: process.env.PUBLIC_SITE_URL ?? "http://127.0.0.1:8787",
  outDir: "./dist",
  trailingSlash: "ignore",
  build: { format: "directory" },
  integrations: [
    starlight({
      title: "Pillow docs",
      disable404Route: true,
      description: "Pillow: property listings merged into one record per property, served by the Mill API.",
      logo: { src: "./src/assets/pillow.svg", replacesTitle: false },
      customCss: ["./src/styles/docs.css"],
      social: [],
      sidebar,
    }),
  ],
  vite: {
    build: { chunkSizeWarningLimit: 1200 },
  },
});
