-- parboard database schema. Every data row carries (source_id, source_row): the file, sheet and
-- spreadsheet row it came from. Derived tables (component_result, unit_result) are rebuilt from the
-- criteria at every publish and never read from input when criteria exist.

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,   -- schema_version, dataset_name, synthetic, home_issuer, province_code
    value VARCHAR
);

-- One row per `parboard load` / `init` / `demo` that published.
CREATE TABLE load_run (
    load_id       INTEGER PRIMARY KEY,
    command       VARCHAR NOT NULL,      -- load | init | demo | reference
    loaded_by     VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    published_at  TIMESTAMP NOT NULL,
    rows_new      INTEGER NOT NULL,
    rows_changed  INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    rows_removed  INTEGER NOT NULL,
    summary       VARCHAR
);

-- One row per (file, sheet) read by a load.
CREATE TABLE source (
    source_id   INTEGER PRIMARY KEY,
    load_id     INTEGER NOT NULL,
    file_name   VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    sheet       VARCHAR,                 -- NULL for CSV / parquet / YAML
    table_kind  VARCHAR NOT NULL,        -- which input table it was read as
    layout      VARCHAR,                 -- long | wide | rules
    row_count   INTEGER NOT NULL
);

CREATE TABLE issuer (
    issuer_code VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    source_id   INTEGER,
    source_row  INTEGER
);

-- kind: province | ministry | department | district | commune. subkind keeps the legal form
-- (tỉnh, thành phố trung ương, huyện, thị xã, thành phố, quận, xã, phường, thị trấn, đặc khu, sở, ban…).
CREATE TABLE unit (
    unit_code   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,        -- Vietnamese, NFC
    name_key    VARCHAR NOT NULL,        -- normalised for matching (see etl/names.py)
    kind        VARCHAR NOT NULL,
    subkind     VARCHAR,
    parent_code VARCHAR,
    valid_from  DATE,                    -- NULL: existed before the records start
    valid_to    DATE,                    -- NULL: still exists; else the last day it existed
    aliases     VARCHAR,                 -- extra names separated by ';' (abbreviations, old spellings)
    synthetic   BOOLEAN NOT NULL DEFAULT false,
    source_id   INTEGER,
    source_row  INTEGER
);

-- unit_code came (wholly or partly) from predecessor_code on effective_date.
CREATE TABLE unit_lineage (
    unit_code        VARCHAR NOT NULL,
    predecessor_code VARCHAR NOT NULL,
    effective_date   DATE NOT NULL,
    relation         VARCHAR NOT NULL,   -- merge | split | rename
    source_id        INTEGER,
    source_row       INTEGER,
    PRIMARY KEY (unit_code, predecessor_code)
);

-- A scoring framework of one issuer for one unit kind and year.
-- rescale: none | to_scale (total = points / max * total_scale) | when_no_survey (rescale only when a
-- unit has no survey points, i.e. the survey was not run).
CREATE TABLE framework (
    framework_id VARCHAR PRIMARY KEY,    -- issuer/kind/year
    issuer_code  VARCHAR NOT NULL,
    unit_kind    VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    total_scale  DOUBLE NOT NULL,
    rescale      VARCHAR NOT NULL,
    source_doc   VARCHAR,
    source_id    INTEGER,
    UNIQUE (issuer_code, unit_kind, year)
);

-- Component areas (item_level = component) and their criteria (item_level = criterion); bonus and penalty
-- points outside the criteria (item_level = adjustment, method = bonus | penalty, max_points = their bound).
CREATE TABLE framework_item (
    framework_id VARCHAR NOT NULL,
    item_code    VARCHAR NOT NULL,
    item_level   VARCHAR NOT NULL,       -- component | criterion | adjustment
    component_code VARCHAR NOT NULL,     -- itself for a component
    name         VARCHAR NOT NULL,
    name_key     VARCHAR NOT NULL,
    max_points   DOUBLE NOT NULL,
    method       VARCHAR NOT NULL,       -- appraisal | survey | bonus | penalty
    ordinal      INTEGER NOT NULL,
    PRIMARY KEY (framework_id, item_code)
);

CREATE TABLE tier_set (
    tier_set_id VARCHAR PRIMARY KEY,     -- issuer/kind/year
    issuer_code VARCHAR NOT NULL,
    unit_kind   VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    source_doc  VARCHAR,
    source_id   INTEGER,
    UNIQUE (issuer_code, unit_kind, year)
);

-- tier: xuat_sac | tot | kha | trung_binh | yeu; rank 1 is the best.
CREATE TABLE tier_band (
    tier_set_id     VARCHAR NOT NULL,
    tier            VARCHAR NOT NULL,
    tier_rank       INTEGER NOT NULL,
    lower_bound     DOUBLE,              -- NULL: no lower bound
    lower_inclusive BOOLEAN NOT NULL,
    upper_bound     DOUBLE,              -- NULL: no upper bound
    upper_inclusive BOOLEAN NOT NULL,
    PRIMARY KEY (tier_set_id, tier)
);

-- Scores as sent. item_code is a criterion or, when a file gives area scores only, a component;
-- item_code = 'TOTAL' holds a total that came without its parts.
-- One row per (framework_id, unit_code, year, item_code). Not declared as a PRIMARY KEY: at national scale
-- the index on four text columns made inserting the scores take longer than all the rest of a load, and the
-- key is already enforced before every publish (the merge in store/publish.py, and the dq_score_unique
-- error in checks/rules.yaml).
CREATE TABLE unit_score (
    framework_id    VARCHAR NOT NULL,
    unit_code       VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    item_code       VARCHAR NOT NULL,
    self_score      DOUBLE,
    appraised_score DOUBLE,
    survey_score    DOUBLE,
    reported_tier   VARCHAR,             -- a tier written in the file, compared by the checks
    source_id       INTEGER NOT NULL,
    source_row      INTEGER,
    not_applicable  BOOLEAN DEFAULT false -- "KAD": the item does not apply; its maximum leaves the unit's
);

-- Derived at publish: per component. basis: criteria | reported_component
CREATE TABLE component_result (
    framework_id   VARCHAR NOT NULL,
    unit_code      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    component_code VARCHAR NOT NULL,
    self_points    DOUBLE,
    points         DOUBLE,
    max_points     DOUBLE NOT NULL,
    basis          VARCHAR NOT NULL,
    applicable_max DOUBLE,               -- max_points less the criteria that do not apply to the unit
    PRIMARY KEY (framework_id, unit_code, year, component_code)
);

-- Derived at publish: per unit and year. basis: criteria | reported_component | reported_total.
-- score_stage: appraised (council's scores) | self_assessed (no appraisal yet).
CREATE TABLE unit_result (
    framework_id     VARCHAR NOT NULL,
    unit_code        VARCHAR NOT NULL,
    unit_kind        VARCHAR NOT NULL,
    year             INTEGER NOT NULL,
    appraisal_points DOUBLE,
    survey_points    DOUBLE,
    raw_points       DOUBLE,
    raw_max          DOUBLE,
    self_total       DOUBLE,
    total            DOUBLE,
    tier             VARCHAR,
    reported_tier    VARCHAR,
    basis            VARCHAR NOT NULL,
    score_stage      VARCHAR NOT NULL,
    bonus_points     DOUBLE,             -- điểm thưởng / điểm cộng, added after rescaling
    penalty_points   DOUBLE,             -- điểm trừ, taken off after rescaling
    PRIMARY KEY (framework_id, unit_code, year)
);

-- Official national index results (PAR INDEX, SIPAS), one row per source claim: when two sources
-- disagree both rows are kept and the checks show the conflict.
CREATE TABLE official_result (
    index_code     VARCHAR NOT NULL,     -- par_index | sipas
    year           INTEGER NOT NULL,
    level          VARCHAR NOT NULL,     -- province | ministry
    unit_code      VARCHAR NOT NULL,
    published_name VARCHAR NOT NULL,
    score          DOUBLE,               -- percent of 100, NULL when not published in text
    rank           INTEGER,
    grp            VARCHAR,              -- A | B | C
    delta          DOUBLE,               -- change against the previous year, percentage points
    note           VARCHAR,
    sources        VARCHAR NOT NULL,     -- space-separated URLs
    source_id      INTEGER NOT NULL,
    source_row     INTEGER,
    PRIMARY KEY (index_code, year, unit_code, sources)
);

CREATE TABLE official_component_result (
    index_code     VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    unit_code      VARCHAR NOT NULL,
    component_name VARCHAR NOT NULL,
    score          DOUBLE,
    sources        VARCHAR NOT NULL,
    source_id      INTEGER NOT NULL,
    source_row     INTEGER,
    PRIMARY KEY (index_code, year, unit_code, component_name)
);

-- National summary figures (averages, group counts) with their sources.
CREATE TABLE official_summary (
    index_code VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    metric     VARCHAR NOT NULL,
    value      DOUBLE,
    note       VARCHAR,
    sources    VARCHAR NOT NULL,
    source_id  INTEGER NOT NULL,
    source_row INTEGER,
    PRIMARY KEY (index_code, year, metric, sources)
);

CREATE TABLE registration (
    unit_code     VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    registered_on DATE NOT NULL,
    title         VARCHAR,               -- the title registered for, if stated
    source_id     INTEGER NOT NULL,
    source_row    INTEGER,
    PRIMARY KEY (unit_code, year)
);

CREATE TABLE task_completion (
    unit_code      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    tasks_assigned INTEGER,
    tasks_done     INTEGER,
    completion_pct DOUBLE NOT NULL,
    source_id      INTEGER NOT NULL,
    source_row     INTEGER,
    PRIMARY KEY (unit_code, year)
);

CREATE TABLE person (
    person_id  VARCHAR PRIMARY KEY,
    full_name  VARCHAR NOT NULL,
    unit_code  VARCHAR NOT NULL,
    position   VARCHAR,
    source_id  INTEGER NOT NULL,
    source_row INTEGER
);

-- An individual's record for a year: the title held and any reform initiative.
CREATE TABLE person_year (
    person_id  VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    title      VARCHAR,
    initiative VARCHAR,
    source_id  INTEGER NOT NULL,
    source_row INTEGER,
    PRIMARY KEY (person_id, year)
);

-- Discipline, investigation or complaint under verification, on a unit or a person.
CREATE TABLE sanction (
    sanction_id  VARCHAR PRIMARY KEY,    -- unit or person, kind and start date
    subject_kind VARCHAR NOT NULL,       -- unit | person
    unit_code    VARCHAR NOT NULL,
    person_id    VARCHAR,
    kind         VARCHAR NOT NULL,       -- discipline | investigation | complaint
    level        VARCHAR,                -- khien_trach | canh_cao | ha_bac | cach_chuc | buoc_thoi_viec
    start_date   DATE NOT NULL,
    end_date     DATE,
    note         VARCHAR,
    source_id    INTEGER NOT NULL,
    source_row   INTEGER
);

-- Awards actually given. scope: a year (2023) or a review period (2021-2025).
CREATE TABLE award (
    award_id       VARCHAR PRIMARY KEY,
    scope          VARCHAR NOT NULL,
    award_kind     VARCHAR NOT NULL,     -- giay_khen | bang_khen | co_thi_dua | title
    recipient_kind VARCHAR NOT NULL,     -- collective | individual
    unit_code      VARCHAR NOT NULL,
    person_id      VARCHAR,
    title          VARCHAR,
    decision_ref   VARCHAR,
    decision_date  DATE,
    source_id      INTEGER NOT NULL,
    source_row     INTEGER
);

-- What a later load replaced or removed: the old row as JSON, so no figure is ever lost.
CREATE TABLE row_history (
    table_name  VARCHAR NOT NULL,
    row_key     VARCHAR NOT NULL,
    old_row     JSON NOT NULL,
    new_row     JSON,                    -- NULL when the row was removed
    load_id     INTEGER NOT NULL,
    changed_at  TIMESTAMP NOT NULL
);

-- >>> data quality
-- The checks' results of the load that published this version. Every load re-checks the whole draft, so
-- the latest run's findings are what is open now. Statements below this marker are also run by every load
-- (store/check_log.py), so a database made before they existed gains them at its next load.
CREATE TABLE IF NOT EXISTS check_run (
    run_id      INTEGER PRIMARY KEY,
    load_id     INTEGER,                 -- the load whose draft was checked
    ran_at      TIMESTAMP NOT NULL,
    status      VARCHAR NOT NULL,        -- passed | warnings (errors never publish)
    errors      INTEGER NOT NULL,
    warnings    INTEGER NOT NULL,
    seconds     DOUBLE
);

-- One row per (run, suite, rule): what was checked and how many rows failed.
CREATE TABLE IF NOT EXISTS check_result (
    run_id       INTEGER NOT NULL,
    suite        VARCHAR NOT NULL,       -- one per table (scores, results, official, …)
    rule         VARCHAR NOT NULL,       -- key in locales/<lang>/checks.toml
    severity     VARCHAR NOT NULL,       -- error | warning
    expectation  VARCHAR NOT NULL,       -- the Great Expectations expectation type
    checked_rows INTEGER NOT NULL,
    failed_rows  INTEGER NOT NULL,
    PRIMARY KEY (run_id, suite, rule)
);

-- One row per failing row (capped per rule; check_result.failed_rows has the full count).
CREATE TABLE IF NOT EXISTS check_finding (
    run_id      INTEGER NOT NULL,
    suite       VARCHAR NOT NULL,
    rule        VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL,
    table_name  VARCHAR NOT NULL,
    unit_code   VARCHAR,
    year        INTEGER,
    item_code   VARCHAR,
    file_name   VARCHAR,
    sheet       VARCHAR,
    source_row  INTEGER,
    message_vi  VARCHAR NOT NULL,
    message_en  VARCHAR NOT NULL
);
