-- The environment pipeline (files -> bronze -> silver -> gold) written for DuckDB, to measure
-- songhong's Spark jobs against a single-node engine on the same files with the same rules
-- (bench/README.md, "environment"). Not shipped, not used by songhong itself.
--
-- Each statement runs on its own and is timed under the stage its "-- stage:" line names. The
-- ${...} placeholders are filled by EnvironmentDuckDb (run by DuckDbPipeline): file lists, and the reference data of
-- schemas/reference/environment.yaml as VALUES rows (parameter names, units, ranges, AQI
-- breakpoints and bands, QCVN limits, QC settings), so both engines read the same catalogue.
-- The rules mirror jobs/environment (ReadingFiles, EnvironmentSilverJob, EnvironmentMartsJob) and
-- docs/METHODS.md sections 2-5; a rule changed there must change here, or the row comparison fails.

-- stage: bronze
-- Every line of every file, numbered from 1 (the header too): the CSV reader with one column,
-- no quoting, keeps the file's order (insertion order), so a line's number is its row's offset.
CREATE TABLE lines AS
SELECT filename AS source_file, column0 AS raw_line
FROM read_csv([${files}], header = false, columns = {'column0': 'VARCHAR'}, delim = E'\x1F', quote = '', escape = '',
              filename = true, auto_detect = false, strict_mode = false);

-- stage: bronze
CREATE TABLE numbered AS
SELECT source_file, raw_line,
       CAST(rowid - min(rowid) OVER (PARTITION BY source_file) + 1 AS INTEGER) AS source_line,
       CAST(regexp_extract(source_file, '/(?:date=)?(\d{4}-\d{2}-\d{2})/[^/]+$', 1) AS DATE) AS file_date,
       regexp_matches(source_file, '\.csv(\.gz)?$') AS wide
FROM lines;

-- stage: bronze
CREATE TABLE checksums AS
SELECT filename AS source_file, sha256(content) AS source_checksum FROM read_blob([${files}]);

-- stage: bronze
-- One reading per filled cell of a wide CSV (the header names parameter and unit: "NO2 (ppb)",
-- local time), one per JSON line (an offset in the timestamp); a line of the wrong width is a
-- quarantined record.
CREATE TABLE bronze AS
WITH header AS (
  SELECT source_file, string_split(raw_line, ',') AS h FROM numbered WHERE wide AND source_line = 1
), wide_lines AS (
  SELECT n.*, string_split(n.raw_line, ',') AS cells, header.h FROM numbered n JOIN header USING (source_file)
  WHERE n.wide AND n.source_line > 1 AND trim(n.raw_line) <> ''
), cells AS (
  SELECT *, unnest(range(3, len(cells) + 1)) AS c FROM wide_lines WHERE len(cells) = len(h)
)
SELECT file_date, source_file, source_line, c AS source_column, raw_line, trim(cells[1]) AS station,
       CASE WHEN regexp_matches(trim(h[c]), '^(.*?)\s*\((.*)\)\s*$') THEN regexp_extract(trim(h[c]), '^(.*?)\s*\((.*)\)\s*$', 1)
            ELSE trim(h[c]) END AS parameter,
       trim(cells[c]) AS value,
       CASE WHEN regexp_matches(trim(h[c]), '^(.*?)\s*\((.*)\)\s*$') THEN regexp_extract(trim(h[c]), '^(.*?)\s*\((.*)\)\s*$', 2) END AS unit,
       trim(cells[2]) AS timestamp, 'Asia/Ho_Chi_Minh' AS local_time_zone, NULL AS rule
FROM cells WHERE trim(cells[c]) <> ''
UNION ALL
SELECT file_date, source_file, source_line, 0, raw_line, NULL, NULL, NULL, NULL, NULL, NULL, 'wrong_field_count'
FROM wide_lines WHERE len(cells) <> len(h)
UNION ALL
SELECT file_date, source_file, source_line, 0, raw_line,
       CASE WHEN json_valid(raw_line) THEN json_extract_string(raw_line, '$.station_id') END,
       CASE WHEN json_valid(raw_line) THEN json_extract_string(raw_line, '$.parameter') END,
       CASE WHEN json_valid(raw_line) THEN json_extract_string(raw_line, '$.value') END,
       CASE WHEN json_valid(raw_line) THEN json_extract_string(raw_line, '$.unit') END,
       CASE WHEN json_valid(raw_line) THEN json_extract_string(raw_line, '$.timestamp') END,
       NULL, NULL
FROM numbered WHERE NOT wide AND trim(raw_line) <> '';

-- stage: bronze
-- What bronze keeps: the readings as written, with their file's checksum.
CREATE TABLE bronze_rows AS
SELECT b.* EXCLUDE (rule), c.source_checksum FROM bronze b JOIN checksums c USING (source_file) WHERE b.rule IS NULL;

-- stage: silver
-- The registry, its parameter names matched as the catalogue's (a name's key: accents, case and
-- punctuation dropped).
CREATE TABLE param_names(name_key VARCHAR, code VARCHAR);

-- stage: silver
INSERT INTO param_names VALUES ${param_names};

-- stage: silver
CREATE TABLE params(code VARCHAR, unit VARCHAR, unit_key VARCHAR, molar_mass DOUBLE, min_value DOUBLE, max_value DOUBLE);

-- stage: silver
INSERT INTO params VALUES ${params};

-- stage: silver
CREATE MACRO name_key(s) AS
  trim(regexp_replace(regexp_replace(lower(strip_accents(replace(replace(s, 'đ', 'd'), 'Đ', 'D'))), '[^a-z0-9]+', ' ', 'g'),
                      '^((thanh pho|tp|tinh)\s+)+', ''));

-- stage: silver
CREATE MACRO unit_key(s) AS
  replace(replace(replace(replace(lower(trim(coalesce(s, ''))), 'µ', 'u'), 'μ', 'u'), '³', '3'), ' ', '');

-- stage: silver
CREATE TABLE stations AS
WITH s AS (
  SELECT * FROM read_csv('${stations}', header = true, all_varchar = true)
), p AS (
  SELECT station_id, list(pn.code) AS parameters
  FROM (SELECT station_id, unnest(string_split(parameters, ';')) AS p FROM s) JOIN param_names pn ON pn.name_key = name_key(p)
  GROUP BY station_id
)
SELECT s.station_id, s.kind, s.industrial_zone_id, s.standard, s.standard_column, CAST(s.kq AS DOUBLE) AS kq,
       CAST(s.kf AS DOUBLE) AS kf, p.parameters
FROM s JOIN p USING (station_id);

-- stage: silver
-- Readings conformed: station and parameter known and registered, value a number, unit converted
-- (gases at 25 °C and 1 atm, 24.45 L/mol), timestamp an instant; the first rule broken is kept.
CREATE TABLE classified AS
WITH p AS (
  SELECT b.*, st.station_id AS st_id, st.parameters AS st_params, pn.code AS param_code, pr.unit AS param_unit,
         try_cast(trim(b.value) AS DOUBLE) AS value_num, unit_key(b.unit) AS u, unit_key(pr.unit) AS target, pr.molar_mass,
         CASE WHEN regexp_matches(b.timestamp, '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$')
              THEN CAST(try_cast(regexp_replace(b.timestamp, '^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2})([Z+-])', '\1:00\2') AS TIMESTAMPTZ) AS TIMESTAMP)
              WHEN b.local_time_zone IS NOT NULL
              THEN CAST(timezone(b.local_time_zone, try_cast(b.timestamp AS TIMESTAMP)) AS TIMESTAMP) END AS ts
  FROM bronze_rows b
  LEFT JOIN stations st ON upper(trim(b.station)) = upper(st.station_id)
  LEFT JOIN param_names pn ON pn.name_key = name_key(b.parameter)
  LEFT JOIN params pr ON pr.code = pn.code
), c AS (
  SELECT *,
         CASE WHEN value_num IS NULL THEN NULL
              WHEN u = target OR (u = '' AND param_unit = 'pH') THEN value_num
              WHEN target = 'ug/m3' THEN CASE WHEN u IN ('ug/m3', 'ug/nm3') THEN value_num
                                              WHEN u IN ('mg/m3', 'mg/nm3') THEN value_num * 1000
                                              WHEN u = 'ppb' THEN value_num * molar_mass / 24.45
                                              WHEN u = 'ppm' THEN value_num * 1000 * molar_mass / 24.45 END
              WHEN target = 'mg/l' AND u IN ('mg/l', 'g/m3') THEN value_num
              WHEN target = 'mpn/100ml' AND u = 'mpn/100ml' THEN value_num END AS converted,
         date_trunc('hour', ts) AS obs_hour
  FROM p
), r AS (
  SELECT *, CAST(obs_hour + INTERVAL 7 HOUR AS DATE) AS local_date,
         CASE WHEN station IS NULL AND parameter IS NULL AND value IS NULL THEN 'bad_record'
              WHEN st_id IS NULL THEN 'unknown_station' WHEN param_code IS NULL THEN 'unknown_parameter'
              WHEN NOT list_contains(st_params, param_code) THEN 'parameter_not_registered'
              WHEN value_num IS NULL THEN 'not_a_number' WHEN converted IS NULL THEN 'unknown_unit'
              WHEN ts IS NULL THEN 'bad_timestamp' END AS rule
  FROM c
)
SELECT local_date, obs_hour, st_id AS station_id, param_code AS parameter, converted AS value, param_unit AS unit,
       value AS value_as_sent, unit AS unit_as_sent, file_date, source_file, source_checksum, source_line, source_column,
       CASE WHEN rule IS NULL AND row_number() OVER (PARTITION BY rule, st_id, param_code, obs_hour
                                                    ORDER BY file_date, source_file, source_line, source_column) > 1
            THEN 'duplicate_reading' ELSE rule END AS rule
FROM r;

-- stage: silver
-- What the quarantine holds: the records rejected, each with its file, line, column and rule.
CREATE TABLE quarantined AS
SELECT source_file, source_checksum, source_line, source_column, rule FROM classified WHERE rule IS NOT NULL
UNION ALL
SELECT b.source_file, c.source_checksum, b.source_line, b.source_column, b.rule
FROM bronze b JOIN checksums c USING (source_file) WHERE b.rule IS NOT NULL;

-- stage: silver
-- The quality flags (docs/METHODS.md section 5): out of the physical range; stuck (the same value
-- ${stuck_hours} or more consecutive hours); spike (above ${spike_factor} times the median of the 24
-- surrounding hours, itself left out, with at least 6 of them); late (landed after the next day).
CREATE TABLE silver AS
WITH r AS (
  SELECT c.*, CAST(epoch(obs_hour) / 3600 AS BIGINT) AS epoch_h FROM classified c WHERE rule IS NULL
), runs AS (
  SELECT *, CASE WHEN lag(value) OVER s = value AND epoch_h - lag(epoch_h) OVER s = 1 THEN 0 ELSE 1 END AS new_run
  FROM r WINDOW s AS (PARTITION BY station_id, parameter ORDER BY obs_hour)
), run_ids AS (
  SELECT *, sum(new_run) OVER (PARTITION BY station_id, parameter ORDER BY obs_hour ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_no
  FROM runs
), med AS (
  -- A series' hours are unique, so leaving the current row out of the frame leaves the reading itself out.
  SELECT *, count(*) OVER (PARTITION BY station_id, parameter, run_no) AS run_len,
         CASE WHEN count(value) OVER around >= 6 THEN median(value) OVER around END AS median_24h
  FROM run_ids
  WINDOW around AS (PARTITION BY station_id, parameter ORDER BY epoch_h RANGE BETWEEN 12 PRECEDING AND 12 FOLLOWING EXCLUDE CURRENT ROW)
), f AS (
  SELECT med.*, list_filter([
           CASE WHEN value < p.min_value OR value > p.max_value THEN 'out_of_range' END,
           CASE WHEN run_len >= ${stuck_hours} THEN 'stuck' END,
           CASE WHEN median_24h > 0 AND value > ${spike_factor} * median_24h THEN 'spike' END,
           CASE WHEN file_date > local_date + 1 THEN 'late' END], lambda x: x IS NOT NULL) AS flags
  FROM med JOIN params p ON p.code = med.parameter
)
SELECT local_date, obs_hour, station_id, parameter, value, unit, value_as_sent, unit_as_sent, flags,
       len(list_filter(flags, lambda x: x <> 'late')) = 0 AS valid, file_date, source_file, source_checksum, source_line, source_column
FROM f;

-- stage: gold
CREATE TABLE breakpoints(col VARCHAR, lo DOUBLE, hi DOUBLE, ilo DOUBLE, ihi DOUBLE);

-- stage: gold
INSERT INTO breakpoints VALUES ${breakpoints};

-- stage: gold
CREATE TABLE bands(max_aqi INTEGER, en VARCHAR, vi VARCHAR, rgb VARCHAR);

-- stage: gold
INSERT INTO bands VALUES ${bands};

-- stage: gold
-- The band of an index: the first whose upper bound it does not exceed.
CREATE MACRO band_of(index_value) AS
  (SELECT {'en': en, 'vi': vi, 'rgb': rgb} FROM bands WHERE max_aqi >= index_value ORDER BY max_aqi LIMIT 1);

-- stage: gold
-- The pollutant whose sub-index set the index: the first that reaches it, in Aqi's order.
CREATE MACRO dominant_of(top, pm25, pm10, o3, no2, so2, co) AS
  CASE top WHEN pm25 THEN 'pm25' WHEN pm10 THEN 'pm10' WHEN o3 THEN 'o3' WHEN no2 THEN 'no2' WHEN so2 THEN 'so2' WHEN co THEN 'co' END;

-- stage: gold
CREATE TABLE air_limits(pollutant VARCHAR, averaging VARCHAR, limit_value DOUBLE, limit_from DATE);

-- stage: gold
INSERT INTO air_limits VALUES ${air_limits};

-- stage: gold
CREATE TABLE ww_limits(standard VARCHAR, parameter VARCHAR, a_min DOUBLE, a_max DOUBLE, b_min DOUBLE, b_max DOUBLE, scaled BOOLEAN);

-- stage: gold
INSERT INTO ww_limits VALUES ${ww_limits};

-- stage: gold
-- A sub-index: linear between the breakpoints around the concentration; at or above the last
-- breakpoint 500 where the column reaches 500, none where it stops earlier (O3 8 h).
CREATE MACRO sub_index(column_name, conc) AS (
  SELECT CASE WHEN b.hi IS NULL THEN b.ihi ELSE (b.ihi - b.ilo) / (b.hi - b.lo) * (conc - b.lo) + b.ilo END
  FROM breakpoints b WHERE b.col = column_name AND conc >= b.lo AND (b.hi IS NULL OR conc < b.hi) AND NOT isnan(conc));

-- stage: gold
-- One row per ambient-air station and hour: 1-hour means, NowCasts of PM (12 hours, at least ${nowcast_min_recent}
-- of the latest 3), 8-hour means of O3 and CO (at least ${o3_8h_min_hours} of 8 hours).
CREATE TABLE hours AS
WITH h AS (
  SELECT r.station_id, r.obs_hour, r.local_date,
         max(CASE WHEN r.parameter = 'pm25' THEN r.value END) AS pm25, max(CASE WHEN r.parameter = 'pm10' THEN r.value END) AS pm10,
         max(CASE WHEN r.parameter = 'o3' THEN r.value END) AS o3, max(CASE WHEN r.parameter = 'no2' THEN r.value END) AS no2,
         max(CASE WHEN r.parameter = 'so2' THEN r.value END) AS so2, max(CASE WHEN r.parameter = 'co' THEN r.value END) AS co
  FROM silver r JOIN stations s ON r.station_id = s.station_id AND s.kind = 'ambient_air'
  WHERE r.valid GROUP BY ALL
), w AS (
  SELECT *, CAST(epoch(obs_hour) / 3600 AS BIGINT) AS epoch_h FROM h
), lists AS (
  SELECT *,
         list({'e': epoch_h, 'c': pm25}) OVER last12 AS pm25_12, list({'e': epoch_h, 'c': pm10}) OVER last12 AS pm10_12,
         CASE WHEN count(o3) OVER last8 >= ${o3_8h_min_hours} THEN avg(o3) OVER last8 END AS o3_8h,
         CASE WHEN count(co) OVER last8 >= ${o3_8h_min_hours} THEN avg(co) OVER last8 END AS co_8h
  FROM w
  WINDOW last12 AS (PARTITION BY station_id ORDER BY epoch_h RANGE BETWEEN ${nowcast_preceding} PRECEDING AND CURRENT ROW),
         last8 AS (PARTITION BY station_id ORDER BY epoch_h RANGE BETWEEN 7 PRECEDING AND CURRENT ROW)
), nc AS (
  -- The hour's own first, then back in time, as Aqi.nowcast sums them.
  SELECT *, list_reverse(list_filter(pm25_12, lambda x: x.c IS NOT NULL)) AS p25, list_reverse(list_filter(pm10_12, lambda x: x.c IS NOT NULL)) AS p10
  FROM lists
), weights AS (
  SELECT *,
         CASE WHEN list_max(list_transform(p25, lambda x: x.c)) <= 0 THEN 1.0
              ELSE greatest(list_min(list_transform(p25, lambda x: x.c)) / list_max(list_transform(p25, lambda x: x.c)), 0.5) END AS w25,
         CASE WHEN list_max(list_transform(p10, lambda x: x.c)) <= 0 THEN 1.0
              ELSE greatest(list_min(list_transform(p10, lambda x: x.c)) / list_max(list_transform(p10, lambda x: x.c)), 0.5) END AS w10
  FROM nc
)
SELECT station_id, obs_hour, local_date, pm25, pm10, o3, no2, so2, co, o3_8h, co_8h,
       CASE WHEN len(list_filter(p25, lambda x: x.e > epoch_h - 3)) >= ${nowcast_min_recent}
            THEN list_reduce(list_transform(p25, lambda x: pow(w25, epoch_h - x.e) * x.c), lambda a, b: a + b)
                 / list_reduce(list_transform(p25, lambda x: pow(w25, epoch_h - x.e)), lambda a, b: a + b) END AS nowcast_pm25,
       CASE WHEN len(list_filter(p10, lambda x: x.e > epoch_h - 3)) >= ${nowcast_min_recent}
            THEN list_reduce(list_transform(p10, lambda x: pow(w10, epoch_h - x.e) * x.c), lambda a, b: a + b)
                 / list_reduce(list_transform(p10, lambda x: pow(w10, epoch_h - x.e)), lambda a, b: a + b) END AS nowcast_pm10
FROM weights;

-- stage: gold
CREATE TABLE aqi_hourly AS
WITH s AS (
  SELECT *, sub_index('pm25', nowcast_pm25) AS aqi_pm25, sub_index('pm10', nowcast_pm10) AS aqi_pm10,
         sub_index('o3_1h', o3) AS aqi_o3, sub_index('no2', no2) AS aqi_no2, sub_index('so2', so2) AS aqi_so2,
         sub_index('co', co) AS aqi_co
  FROM hours
), a AS (
  SELECT *, greatest(aqi_pm25, aqi_pm10, aqi_o3, aqi_no2, aqi_so2, aqi_co) AS top FROM s
  WHERE aqi_pm25 IS NOT NULL OR aqi_pm10 IS NOT NULL
)
SELECT local_date, obs_hour, CAST(hour(obs_hour + INTERVAL 7 HOUR) AS INTEGER) AS local_hour, station_id,
       CAST(round(top) AS INTEGER) AS aqi,
       band_of(round(top)).en AS band, band_of(round(top)).vi AS band_vi, band_of(round(top)).rgb AS band_rgb,
       dominant_of(top, aqi_pm25, aqi_pm10, aqi_o3, aqi_no2, aqi_so2, aqi_co) AS dominant_pollutant,
       nowcast_pm25, nowcast_pm10, aqi_pm25, aqi_pm10, aqi_o3, aqi_no2, aqi_so2, aqi_co
FROM a;

-- stage: gold
-- Per station and day: 24-hour means with at least ${day_min_valid_hours} hours, daily maxima, valid hours.
CREATE TABLE day_stats AS
SELECT station_id, local_date AS date,
       CASE WHEN count(pm25) >= ${day_min_valid_hours} THEN avg(pm25) END AS pm25_24h,
       CASE WHEN count(pm10) >= ${day_min_valid_hours} THEN avg(pm10) END AS pm10_24h,
       CASE WHEN count(so2) >= ${day_min_valid_hours} THEN avg(so2) END AS so2_24h,
       CASE WHEN count(no2) >= ${day_min_valid_hours} THEN avg(no2) END AS no2_24h,
       max(o3) AS o3_max_1h, max(o3_8h) AS o3_max_8h, max(no2) AS no2_max_1h, max(so2) AS so2_max_1h, max(co) AS co_max_1h,
       max(co_8h) AS co_max_8h, CAST(greatest(count(pm25), count(pm10)) AS INTEGER) AS valid_pm_hours,
       MAP {'pm25': count(pm25), 'pm10': count(pm10), 'o3': count(o3), 'no2': count(no2), 'so2': count(so2), 'co': count(co)} AS valid_hours
FROM hours GROUP BY station_id, local_date;

-- stage: gold
CREATE TABLE aqi_daily AS
WITH s AS (
  SELECT *, sub_index('pm25', pm25_24h) AS s_pm25, sub_index('pm10', pm10_24h) AS s_pm10,
         CASE WHEN sub_index('o3_1h', o3_max_1h) IS NULL THEN sub_index('o3_8h', o3_max_8h)
              WHEN sub_index('o3_8h', o3_max_8h) IS NULL THEN sub_index('o3_1h', o3_max_1h)
              ELSE greatest(sub_index('o3_1h', o3_max_1h), sub_index('o3_8h', o3_max_8h)) END AS s_o3,
         sub_index('no2', no2_max_1h) AS s_no2, sub_index('so2', so2_max_1h) AS s_so2, sub_index('co', co_max_1h) AS s_co
  FROM day_stats
), a AS (
  SELECT *, greatest(s_pm25, s_pm10, s_o3, s_no2, s_so2, s_co) AS top FROM s WHERE s_pm25 IS NOT NULL OR s_pm10 IS NOT NULL
)
SELECT station_id, date, CAST(round(top) AS INTEGER) AS aqi,
       band_of(round(top)).en AS band, band_of(round(top)).vi AS band_vi, band_of(round(top)).rgb AS band_rgb,
       dominant_of(top, s_pm25, s_pm10, s_o3, s_no2, s_so2, s_co) AS dominant_pollutant,
       pm25_24h, pm10_24h, o3_max_1h, o3_max_8h, no2_max_1h, so2_max_1h, co_max_1h, valid_pm_hours
FROM a;

-- stage: gold
-- Each regulated pollutant and averaging period per station-day, against the limit in force on the day.
CREATE TABLE exceedances AS
WITH lim AS (
  SELECT d.date, l.* FROM (SELECT DISTINCT date FROM day_stats) d JOIN air_limits l ON l.limit_from <= d.date
  QUALIFY row_number() OVER (PARTITION BY d.date, l.pollutant, l.averaging ORDER BY l.limit_from DESC) = 1
), above AS (
  SELECT h.station_id, h.local_date AS date, l.pollutant, l.averaging,
         CAST(count_if(CASE l.averaging WHEN '1h' THEN CASE l.pollutant WHEN 'so2' THEN h.so2 WHEN 'co' THEN h.co WHEN 'no2' THEN h.no2
                                                                          WHEN 'o3' THEN h.o3 END
                                          WHEN '8h' THEN CASE l.pollutant WHEN 'o3' THEN h.o3_8h WHEN 'co' THEN h.co_8h END END
                       > l.limit_value) AS INTEGER) AS hours_above
  FROM hours h JOIN lim l ON l.date = h.local_date GROUP BY ALL
), stat AS (
  SELECT d.station_id, d.date, l.pollutant, l.averaging, l.limit_value, l.limit_from,
         CASE l.averaging WHEN '1h' THEN CASE l.pollutant WHEN 'so2' THEN so2_max_1h WHEN 'co' THEN co_max_1h WHEN 'no2' THEN no2_max_1h
                                                          WHEN 'o3' THEN o3_max_1h END
                          WHEN '8h' THEN CASE l.pollutant WHEN 'o3' THEN o3_max_8h WHEN 'co' THEN co_max_8h END
                          ELSE CASE l.pollutant WHEN 'pm25' THEN pm25_24h WHEN 'pm10' THEN pm10_24h WHEN 'so2' THEN so2_24h
                                                WHEN 'no2' THEN no2_24h END END AS value,
         CAST(coalesce(d.valid_hours[l.pollutant], 0) AS INTEGER) AS valid_hours
  FROM day_stats d JOIN lim l ON l.date = d.date
)
SELECT s.station_id, s.date, s.pollutant, s.averaging, s.value, s.limit_value, s.limit_from,
       CASE WHEN s.averaging = '24h' THEN CAST(coalesce(s.value > s.limit_value, false) AS INTEGER) ELSE coalesce(a.hours_above, 0) END AS hours_above,
       s.valid_hours, s.valid_hours >= ${day_min_valid_hours} AS valid_day, coalesce(s.value > s.limit_value, false) AS exceeded
FROM stat s LEFT JOIN above a USING (station_id, date, pollutant, averaging)
WHERE s.valid_hours > 0;

-- stage: gold
-- Daily means of valid wastewater readings against each discharge point's standard (C x Kq x Kf).
CREATE TABLE wastewater_daily AS
SELECT r.station_id, s.industrial_zone_id, r.local_date AS date, r.parameter, avg(r.value) AS daily_mean,
       first(CASE s.standard_column WHEN 'A' THEN l.a_min ELSE l.b_min END) AS limit_min,
       first(CASE s.standard_column WHEN 'A' THEN l.a_max ELSE l.b_max END * CASE WHEN l.scaled THEN s.kq * s.kf ELSE 1 END) AS limit_max,
       first(s.standard || ' ' || s.standard_column) AS standard
FROM silver r JOIN stations s ON r.station_id = s.station_id AND s.kind = 'wastewater'
JOIN ww_limits l ON l.standard = s.standard AND l.parameter = r.parameter
WHERE r.valid GROUP BY r.station_id, s.industrial_zone_id, r.local_date, r.parameter;

-- stage: gold
CREATE TABLE wastewater_compliance_daily AS
SELECT *, (limit_min IS NULL OR daily_mean >= limit_min) AND (limit_max IS NULL OR daily_mean <= limit_max) AS compliant
FROM wastewater_daily;

-- stage: write
-- What a lake keeps, as Parquet files (snappy, as Spark writes them): bronze, silver, the quarantine and the marts.
COPY bronze_rows TO '${out}/bronze_rows.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY quarantined TO '${out}/quarantined.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY silver TO '${out}/silver.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY aqi_hourly TO '${out}/aqi_hourly.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY aqi_daily TO '${out}/aqi_daily.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY exceedances TO '${out}/exceedances.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY wastewater_compliance_daily TO '${out}/wastewater_compliance_daily.parquet' (FORMAT parquet, COMPRESSION snappy);
