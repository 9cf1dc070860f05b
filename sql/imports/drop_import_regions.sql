-- The import's list of touched regions is done with once measure_monthly is refreshed.
DROP TABLE IF EXISTS import_regions;
