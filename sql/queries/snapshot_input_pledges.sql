-- Input of a snapshot's data hash: pledges registered by the month's end.
SELECT contract_no, enterprise, region_code, ip_type, lender, CAST(amount_wan AS DOUBLE PRECISION) AS amount_wan,
       registered_on
  FROM pledges WHERE registered_on <= :month_end
 ORDER BY contract_no
