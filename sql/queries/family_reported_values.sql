-- reported_values.sql for a region and each region one level below it at once (each exactly that region).
SELECT rp.region_code AS region, rp.indicator, rp.month, rp.value
  FROM reported rp JOIN regions r ON r.code = rp.region_code
 WHERE r.code = :region OR r.parent_code = :region
 ORDER BY rp.region_code, rp.indicator, rp.month
