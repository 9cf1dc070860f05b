-- The latest year with a population figure: a year's figure stands for each of its months.
SELECT MAX(year) AS latest_year FROM population
