-- Every region with its parent (blank at the top of what is loaded), to tell what lies below a region.
SELECT code, parent_code FROM regions ORDER BY code
