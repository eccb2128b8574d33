-- Service tokens are bound to the source names they may ingest under (docs/auth.md "Service tokens").
-- New tokens name them when minted (`npm run token -- --service … --sources a.example,b.example`, or
-- `--sources '*'`); null or empty grants none. Service tokens minted before this migration could write
-- under any source, and connectors in production still use them: they keep that grant, as an explicit
-- `{*}` an admin can see (GET /api/v1/admin/service-tokens) and narrow (PATCH …/{id}).
ALTER TABLE "api_tokens" ADD COLUMN "sources" text[];--> statement-breakpoint
UPDATE "api_tokens" SET "sources" = ARRAY['*'] WHERE "role" = 'service';
