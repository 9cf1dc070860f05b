-- Figures reported for one region (exactly that region: reported figures do not add up).
SELECT indicator, month, value FROM reported WHERE region_code = :region ORDER BY indicator, month
