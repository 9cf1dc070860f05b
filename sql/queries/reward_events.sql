-- The reward events of article 十 (the reward_events view) for one region and everything under it.
-- :region  region code; its descendants are included through region_closure.
-- :start, :end  the first and last dates counted (both included).
SELECT e.event, e.record_key, e.beneficiary, e.title, e.region_code, r.name AS region_name, e.event_on
  FROM reward_events e
  JOIN region_closure c ON c.descendant = e.region_code AND c.ancestor = :region
  LEFT JOIN regions r ON r.code = e.region_code
 WHERE e.event_on >= :start AND e.event_on <= :end
 ORDER BY e.event_on, e.event, e.record_key
