-- Search by any part of a name, its pinyin or initials ("%mjc%") at province scale: a trigram index.
-- pg_trgm is a trusted extension (a database owner may create it); PGlite loads it from its contrib.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "area_search_trgm_idx" ON "area" USING gin ("search" gin_trgm_ops);
