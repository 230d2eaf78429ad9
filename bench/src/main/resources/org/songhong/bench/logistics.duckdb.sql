-- The gate-move path (event files -> bronze -> silver gate moves and vessel calls, with duplicates,
-- TEU and check digits -> terminal activity per day) written for DuckDB, to measure songhong's
-- Spark jobs against a single-node engine on the same files with the same rules (bench/README.md,
-- "logistics"). Not shipped, not used by songhong itself.
--
-- Each statement runs on its own and is timed under the stage its "-- stage:" line names. The
-- ${...} placeholders are filled by LogisticsDuckDb (run by DuckDbPipeline): the file list, and the
-- reference data of schemas/reference/logistics.yaml as VALUES rows (terminal names and aliases,
-- container sizes). The rules mirror jobs/logistics (EventFiles, LogisticsEventsSilverJob) and
-- org.songhong.domain.logistics.Iso6346; a rule changed there must change here, or the row
-- comparison fails.

-- stage: bronze
-- Every line of every file, numbered from 1: the CSV reader with one column, no quoting, keeps the
-- file's order (insertion order), so a line's number is its row's offset.
CREATE TABLE lines AS
SELECT filename AS source_file, column0 AS raw_line
FROM read_csv([${files}], header = false, columns = {'column0': 'VARCHAR'}, delim = E'\x1F', quote = '', escape = '',
              filename = true, auto_detect = false, strict_mode = false);

-- stage: bronze
CREATE TABLE checksums AS
SELECT filename AS source_file, sha256(content) AS source_checksum FROM read_blob([${files}]);

-- stage: bronze
-- What bronze keeps: each non-blank line with its feed and day (from the file's folders) and checksum.
CREATE TABLE bronze_rows AS
SELECT regexp_extract(l.source_file, '/([a-z_]+)/(?:date=)?\d{4}-\d{2}-\d{2}/[^/]+$', 1) AS feed,
       CAST(regexp_extract(l.source_file, '/(?:date=)?(\d{4}-\d{2}-\d{2})/[^/]+$', 1) AS DATE) AS file_date,
       l.source_file, c.source_checksum, l.source_line, l.raw_line
FROM (SELECT source_file, raw_line, CAST(rowid - min(rowid) OVER (PARTITION BY source_file) + 1 AS INTEGER) AS source_line FROM lines) l
JOIN checksums c USING (source_file)
WHERE trim(l.raw_line) <> '';

-- stage: silver
CREATE TABLE terminal_names(name_key VARCHAR, terminal_id VARCHAR);

-- stage: silver
INSERT INTO terminal_names VALUES ${terminal_names};

-- stage: silver
CREATE TABLE sizes(code VARCHAR, length_ft INTEGER, teu DOUBLE);

-- stage: silver
INSERT INTO sizes VALUES ${sizes};

-- stage: silver
CREATE MACRO name_key(s) AS
  trim(regexp_replace(regexp_replace(lower(strip_accents(replace(replace(s, 'đ', 'd'), 'Đ', 'D'))), '[^a-z0-9]+', ' ', 'g'),
                      '^((thanh pho|tp|tinh)\s+)+', ''));

-- stage: silver
-- An instant only from an ISO 8601 time with an offset (without one the instant would be a guess).
CREATE MACRO instant(s) AS
  CASE WHEN regexp_matches(s, '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$')
       THEN CAST(try_cast(s AS TIMESTAMPTZ) AS TIMESTAMP) END;

-- stage: silver
CREATE MACRO field(j, name) AS CASE WHEN json_valid(j) THEN json_extract_string(j, '$.' || name) END;

-- stage: silver
-- ISO 6346: letters A=10, B=12 ... skipping multiples of 11; the check digit is the sum of each of the
-- first ten characters' values times 2^position, mod 11, mod 10.
CREATE MACRO container_valid(id) AS
  coalesce(length(id) = 11 AND regexp_matches(substr(id, 1, 10), '^[A-Z]{3}[UJZR][0-9]{6}$') AND regexp_matches(substr(id, 11, 1), '^[0-9]$')
           AND list_sum(list_transform(range(10), lambda i: (strpos('0123456789A_BCDEFGHIJK_LMNOPQRSTU_VWXYZ', substr(id, i + 1, 1)) - 1)
                                                         * CAST(pow(2, i) AS BIGINT))) % 11 % 10 = CAST(substr(id, 11, 1) AS INTEGER),
           false);

-- stage: silver
-- Gate moves conformed; the first rule broken is kept; later copies of a (container, direction, time) are duplicates.
CREATE TABLE gate_classified AS
WITH p AS (
  SELECT l.*, CASE WHEN json_valid(raw_line) THEN json_type(raw_line) = 'OBJECT' ELSE false END AS is_object,
         field(raw_line, 'container_id') AS container_raw, field(raw_line, 'iso_code') AS iso_raw,
         field(raw_line, 'full_empty') AS fe_raw, field(raw_line, 'direction') AS dir_raw,
         field(raw_line, 'event_time') AS time_raw, field(raw_line, 'terminal') AS terminal_raw
  FROM bronze_rows l WHERE feed = 'gate_moves'
), c AS (
  SELECT p.*, concat_ws(', ', CASE WHEN container_raw IS NULL THEN 'container_id' END, CASE WHEN iso_raw IS NULL THEN 'iso_code' END,
                        CASE WHEN fe_raw IS NULL THEN 'full_empty' END, CASE WHEN dir_raw IS NULL THEN 'direction' END,
                        CASE WHEN time_raw IS NULL THEN 'event_time' END, CASE WHEN terminal_raw IS NULL THEN 'terminal' END) AS missing,
         instant(time_raw) AS event_time, t.terminal_id, s.teu, s.length_ft,
         CASE upper(trim(dir_raw)) WHEN 'IN' THEN 'in' WHEN 'GATE_IN' THEN 'in' WHEN 'I' THEN 'in'
                                   WHEN 'OUT' THEN 'out' WHEN 'GATE_OUT' THEN 'out' WHEN 'O' THEN 'out' END AS direction,
         CASE upper(trim(fe_raw)) WHEN 'F' THEN true WHEN 'FULL' THEN true WHEN 'E' THEN false WHEN 'EMPTY' THEN false END AS "full",
         upper(regexp_replace(container_raw, '[^A-Za-z0-9]', '', 'g')) AS container_id, upper(trim(iso_raw)) AS iso_code
  FROM p
  LEFT JOIN terminal_names t ON t.name_key = name_key(p.terminal_raw)
  LEFT JOIN sizes s ON regexp_matches(trim(p.iso_raw), '^[0-9A-Za-z]{4}$') AND s.code = upper(substr(trim(p.iso_raw), 1, 1))
), r AS (
  SELECT *, container_valid(container_id) AS container_id_valid,
         CAST(timezone('Asia/Ho_Chi_Minh', CAST(event_time AS TIMESTAMPTZ)) AS DATE) AS event_date,
         CASE WHEN NOT is_object THEN 'bad_json' WHEN missing <> '' THEN 'missing_field' WHEN event_time IS NULL THEN 'bad_timestamp'
              WHEN terminal_id IS NULL THEN 'unknown_terminal' WHEN teu IS NULL THEN 'unknown_size_code'
              WHEN direction IS NULL OR "full" IS NULL THEN 'bad_value' END AS rule
  FROM c
)
SELECT * EXCLUDE (rule),
       CASE WHEN rule IS NULL AND row_number() OVER (PARTITION BY rule, container_id, direction, event_time
                                                    ORDER BY file_date, source_file, source_line) > 1
            THEN 'duplicate_event' ELSE rule END AS rule
FROM r;

-- stage: silver
CREATE TABLE gate_moves AS
SELECT event_date, event_time, terminal_id, container_id, container_id_valid, iso_code, length_ft, teu, "full", direction,
       source_file, source_checksum, source_line
FROM gate_classified WHERE rule IS NULL;

-- stage: silver
-- Vessel calls conformed; later copies of a (vessel, terminal, arrival) are duplicates.
CREATE TABLE call_classified AS
WITH p AS (
  SELECT l.*, CASE WHEN json_valid(raw_line) THEN json_type(raw_line) = 'OBJECT' ELSE false END AS is_object,
         field(raw_line, 'vessel_imo') AS imo_raw, field(raw_line, 'terminal') AS terminal_raw, field(raw_line, 'arrival') AS arrival_raw,
         field(raw_line, 'departure') AS departure_raw, field(raw_line, 'moves') AS moves_raw
  FROM bronze_rows l WHERE feed = 'vessel_calls'
), c AS (
  SELECT p.*, concat_ws(', ', CASE WHEN imo_raw IS NULL THEN 'vessel_imo' END, CASE WHEN terminal_raw IS NULL THEN 'terminal' END,
                        CASE WHEN arrival_raw IS NULL THEN 'arrival' END, CASE WHEN moves_raw IS NULL THEN 'moves' END) AS missing,
         instant(arrival_raw) AS arrival_time, instant(departure_raw) AS departure_time, t.terminal_id,
         regexp_replace(upper(trim(imo_raw)), '^IMO\s*', '') AS vessel_imo, try_cast(moves_raw AS INTEGER) AS moves
  FROM p LEFT JOIN terminal_names t ON t.name_key = name_key(p.terminal_raw)
), r AS (
  -- IMO: seven digits, the last the sum of the first six times 7, 6 ... 2, mod 10.
  SELECT *, coalesce(regexp_matches(regexp_replace(upper(trim(vessel_imo)), '^IMO\s*', ''), '^[0-9]{7}$')
                     AND list_sum(list_transform(range(6), lambda i: CAST(substr(vessel_imo, i + 1, 1) AS INTEGER) * (7 - i))) % 10
                         = CAST(substr(vessel_imo, 7, 1) AS INTEGER), false) AS imo_valid,
         CAST(timezone('Asia/Ho_Chi_Minh', CAST(arrival_time AS TIMESTAMPTZ)) AS DATE) AS arrival_date
  FROM c
), q AS (
  SELECT *,
         CASE WHEN NOT is_object THEN 'bad_json' WHEN missing <> '' THEN 'missing_field'
              WHEN arrival_time IS NULL OR (departure_raw IS NOT NULL AND departure_time IS NULL) THEN 'bad_timestamp'
              WHEN terminal_id IS NULL THEN 'unknown_terminal' WHEN NOT imo_valid THEN 'bad_imo'
              WHEN moves IS NULL OR moves < 0 THEN 'bad_moves' WHEN departure_time < arrival_time THEN 'departure_before_arrival' END AS rule
  FROM r
)
SELECT * EXCLUDE (rule),
       CASE WHEN rule IS NULL AND row_number() OVER (PARTITION BY rule, vessel_imo, terminal_id, arrival_time
                                                    ORDER BY file_date, source_file, source_line) > 1
            THEN 'duplicate_event' ELSE rule END AS rule
FROM q;

-- stage: silver
CREATE TABLE vessel_calls AS
SELECT arrival_date, arrival_time, departure_time, terminal_id, vessel_imo, moves, source_file, source_checksum, source_line
FROM call_classified WHERE rule IS NULL;

-- stage: silver
CREATE TABLE quarantined AS
SELECT 'silver.gate_moves' AS target_table, source_file, source_checksum, source_line, rule FROM gate_classified WHERE rule IS NOT NULL
UNION ALL
SELECT 'silver.vessel_calls', source_file, source_checksum, source_line, rule FROM call_classified WHERE rule IS NOT NULL;

-- stage: silver
-- Each terminal's day: gate moves, TEU, in, out, full; vessel calls and their moves.
CREATE TABLE terminal_activity_daily AS
WITH g AS (
  SELECT event_date AS activity_date, terminal_id, count(*) AS gate_moves, sum(teu) AS gate_teu, count_if(direction = 'in') AS gate_in,
         count_if(direction = 'out') AS gate_out, count_if("full") AS full_moves
  FROM gate_moves GROUP BY 1, 2
), v AS (
  SELECT arrival_date AS activity_date, terminal_id, count(*) AS vessel_calls, sum(moves) AS vessel_moves FROM vessel_calls GROUP BY 1, 2
)
SELECT activity_date, terminal_id, coalesce(gate_moves, 0) AS gate_moves, coalesce(gate_teu, 0) AS gate_teu,
       coalesce(gate_in, 0) AS gate_in, coalesce(gate_out, 0) AS gate_out, coalesce(full_moves, 0) AS full_moves,
       coalesce(vessel_calls, 0) AS vessel_calls, CAST(coalesce(vessel_moves, 0) AS BIGINT) AS vessel_moves
FROM g FULL OUTER JOIN v USING (activity_date, terminal_id);

-- stage: write
-- What a lake keeps, as Parquet files (snappy, as Spark writes them).
COPY bronze_rows TO '${out}/bronze_rows.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY quarantined TO '${out}/quarantined.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY gate_moves TO '${out}/gate_moves.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY vessel_calls TO '${out}/vessel_calls.parquet' (FORMAT parquet, COMPRESSION snappy);

-- stage: write
COPY terminal_activity_daily TO '${out}/terminal_activity_daily.parquet' (FORMAT parquet, COMPRESSION snappy);
