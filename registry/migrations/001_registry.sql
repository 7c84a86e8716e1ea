-- The programme registry (docs/registry.md): every verified bundle's events, each device's log and
-- signed checkpoints, fork evidence, and the read model, in the schema `casetrail`.
-- Do not rename a table, column or function without a new migration: the data team's queries and
-- the ingest code name them.
--
-- Two roles, created once per server: casetrail_app, the role ingest runs as (SET LOCAL ROLE), which
-- may read everything and write only through the SECURITY DEFINER functions below; and
-- casetrail_reader, for the data team, which may only read. Neither can change a stored event: the
-- privileges refuse it, and the triggers refuse it even to the schema's owner.

DO $$
BEGIN
	CREATE ROLE casetrail_app NOLOGIN;
EXCEPTION
	-- Another database on the same server (or a concurrent migration) created it first.
	WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
BEGIN
	CREATE ROLE casetrail_reader NOLOGIN;
EXCEPTION
	WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- Devices, their logs and checkpoints -----------------------------------------------------------

-- Guids and device ids compare in byte order ("C"), the plain string order of spec/projection.md,
-- whatever the database's default collation.
CREATE TABLE casetrail.devices (
	device_id text COLLATE "C" PRIMARY KEY,
	public_jwk jsonb NOT NULL,
	first_ingested_at timestamptz NOT NULL DEFAULT now(),
	-- The highest bundle format version ingested of the device: once 2, its bundles must prove (or
	-- determine) the root of every smaller checkpoint kept, version 1 ones included.
	format_version smallint NOT NULL DEFAULT 1 CHECK (format_version IN (1, 2))
);

-- One row per event: the wire form's members as columns, and the leaf bytes themselves, so anyone
-- can recompute every hash from the registry alone.
CREATE TABLE casetrail.audit_events (
	guid text COLLATE "C" PRIMARY KEY,
	entity_guid text COLLATE "C" NOT NULL,
	type text NOT NULL,
	data jsonb NOT NULL,
	metadata jsonb,
	context jsonb,
	user_id text NOT NULL,
	-- The event's instant (its `timestamp`, parsed); `canonical` keeps the text as signed.
	occurred_at timestamptz NOT NULL,
	-- Leaf bytes: the RFC 8785 canonical JSON of the event exactly as the bundle carried it.
	canonical text NOT NULL,
	leaf_hash bytea NOT NULL,
	-- The first device whose bundle brought the event, and its position there; device_log has all.
	origin_device_id text COLLATE "C" NOT NULL REFERENCES casetrail.devices,
	origin_leaf_index bigint NOT NULL CHECK (origin_leaf_index >= 0),
	ingested_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT leaf_hash_is_hash_of_canonical CHECK (leaf_hash = sha256('\x00'::bytea || convert_to(canonical, 'UTF8'))),
	-- Target of device_log's foreign key: a device's leaf is this very event, byte for byte.
	CONSTRAINT audit_events_guid_leaf_hash UNIQUE (guid, leaf_hash)
);
CREATE INDEX audit_events_by_entity_time ON casetrail.audit_events (entity_guid, occurred_at, guid);

-- Each device's log: which event sits at which leaf index. An event carried by several devices
-- has one row per device.
CREATE TABLE casetrail.device_log (
	device_id text COLLATE "C" NOT NULL REFERENCES casetrail.devices,
	leaf_index bigint NOT NULL CHECK (leaf_index >= 0),
	leaf_hash bytea NOT NULL,
	event_guid text COLLATE "C" NOT NULL,
	PRIMARY KEY (device_id, leaf_index),
	FOREIGN KEY (event_guid, leaf_hash) REFERENCES casetrail.audit_events (guid, leaf_hash)
);
CREATE INDEX device_log_by_event ON casetrail.device_log (event_guid);

-- Every accepted checkpoint with the bundle's compact range at from_index: with the device's
-- leaves [from_index, tree_size) it gives the root at every size in between, which is how a later
-- bundle is checked against this one.
CREATE TABLE casetrail.checkpoints (
	device_id text COLLATE "C" NOT NULL REFERENCES casetrail.devices,
	tree_size bigint NOT NULL CHECK (tree_size >= 0),
	root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
	from_index bigint NOT NULL CHECK (from_index >= 0 AND from_index <= tree_size),
	prefix bytea[] NOT NULL,
	issued_at timestamptz NOT NULL,
	jws text NOT NULL,
	ingested_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (device_id, tree_size, root_hash, from_index)
);
CREATE INDEX checkpoints_by_device_range ON casetrail.checkpoints (device_id, from_index, tree_size);

-- Evidence of a rewritten log: the checkpoint the registry kept and the one it refused, both
-- signed by the device, and the first size at which they disagree.
CREATE TABLE casetrail.forks (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	device_id text COLLATE "C" NOT NULL REFERENCES casetrail.devices,
	differs_at bigint NOT NULL,
	kept_tree_size bigint NOT NULL,
	kept_root_hash bytea NOT NULL,
	kept_checkpoint text NOT NULL,
	refused_tree_size bigint NOT NULL,
	refused_root_hash bytea NOT NULL,
	refused_checkpoint text NOT NULL,
	reason text NOT NULL,
	detected_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT forks_once UNIQUE (kept_checkpoint, refused_checkpoint)
);

-- Read model: derived from audit_events by core's projection, rewritten per entity by ingest --------

-- Current entities, as `casetrail show --json` prints them (`entity`), with its parts as columns.
CREATE TABLE casetrail.entities (
	guid text COLLATE "C" PRIMARY KEY,
	type text NOT NULL,
	data jsonb NOT NULL,
	members jsonb,
	deleted boolean NOT NULL,
	version integer NOT NULL,
	created_at timestamptz NOT NULL,
	last_updated timestamptz NOT NULL,
	case_worker text,
	assignment_date text,
	entity jsonb NOT NULL
);
CREATE INDEX entities_by_type ON casetrail.entities (type, guid);

-- Every state an entity has been in: the row for version n is the entity right after its n-th
-- applied event, valid from that event's instant. State as of T = the highest version whose
-- valid_from <= T (entities_as_of below).
CREATE TABLE casetrail.entity_versions (
	entity_guid text COLLATE "C" NOT NULL,
	version integer NOT NULL,
	event_guid text COLLATE "C" NOT NULL,
	valid_from timestamptz NOT NULL,
	entity jsonb NOT NULL,
	PRIMARY KEY (entity_guid, version)
);
CREATE INDEX entity_versions_by_time ON casetrail.entity_versions (entity_guid, valid_from);

-- The audit trail of every entity in replay order: who, when, why, applied or skipped (and why),
-- and what changed field by field (core/audit.ts).
CREATE TABLE casetrail.audit_trail (
	entity_guid text COLLATE "C" NOT NULL,
	seq integer NOT NULL,
	event_guid text COLLATE "C" NOT NULL,
	-- The event's timestamp as recorded, and as an instant (null for an unreadable one).
	timestamp text NOT NULL,
	occurred_at timestamptz,
	user_id text NOT NULL,
	type text NOT NULL,
	reason text,
	applied boolean NOT NULL,
	skip_reason text,
	skip_message text,
	changes jsonb NOT NULL,
	PRIMARY KEY (entity_guid, seq)
);
CREATE INDEX audit_trail_by_event ON casetrail.audit_trail (event_guid);

-- Views for the data team ---------------------------------------------------------------------

CREATE VIEW casetrail.individuals AS
	SELECT guid, data, deleted, version, created_at, last_updated, case_worker, assignment_date
	FROM casetrail.entities WHERE type = 'individual';

CREATE VIEW casetrail.households AS
	SELECT guid, data, jsonb_array_length(members) AS member_count, deleted, version, created_at, last_updated, case_worker, assignment_date
	FROM casetrail.entities WHERE type = 'group';

CREATE VIEW casetrail.household_members AS
	SELECT e.guid AS household_guid, m.position::integer AS position, m.member ->> 'guid' AS member_guid, m.member ->> 'role' AS role
	FROM casetrail.entities e
	CROSS JOIN LATERAL jsonb_array_elements(e.members) WITH ORDINALITY AS m(member, position)
	WHERE e.type = 'group';

-- The last event of each entity in replay order (instant, then guid), applied or not.
CREATE VIEW casetrail.latest_event_per_entity AS
	SELECT guid, entity_guid, type, user_id, occurred_at, data, context
	FROM (
		SELECT a.*, row_number() OVER (PARTITION BY a.entity_guid ORDER BY a.occurred_at DESC, a.guid DESC) AS rn
		FROM casetrail.audit_events a
	) ranked
	WHERE rn = 1;

-- Which devices carried each event, and where in their logs.
CREATE VIEW casetrail.event_carriers AS
	SELECT event_guid, array_agg(device_id ORDER BY device_id) AS device_ids, count(*) AS carried_by
	FROM casetrail.device_log GROUP BY event_guid;

-- The entities as they were at instant `at`: the replay of the events with timestamp <= at.
CREATE FUNCTION casetrail.entities_as_of(at timestamptz)
RETURNS TABLE (guid text, type text, data jsonb, members jsonb, deleted boolean, version integer, entity jsonb)
LANGUAGE sql STABLE AS $$
	SELECT DISTINCT ON (v.entity_guid) v.entity_guid, v.entity ->> 'type', v.entity -> 'data', v.entity -> 'members',
		(v.entity ->> 'deleted')::boolean, v.version, v.entity
	FROM casetrail.entity_versions v
	WHERE v.valid_from <= at
	ORDER BY v.entity_guid, v.version DESC
$$;

-- The log is append-only -------------------------------------------------------------------------
-- Statement triggers: an UPDATE or DELETE is refused even when it would touch no row, so a
-- probe cannot tell an empty table from a protected one.

CREATE FUNCTION casetrail.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CT001', MESSAGE = format('casetrail.%s is append-only: %s is refused', TG_TABLE_NAME, TG_OP);
END $$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON casetrail.audit_events FOR EACH STATEMENT EXECUTE FUNCTION casetrail.refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON casetrail.audit_events FOR EACH STATEMENT EXECUTE FUNCTION casetrail.refuse_change();
CREATE TRIGGER device_log_append_only BEFORE UPDATE OR DELETE ON casetrail.device_log FOR EACH STATEMENT EXECUTE FUNCTION casetrail.refuse_change();
CREATE TRIGGER device_log_no_truncate BEFORE TRUNCATE ON casetrail.device_log FOR EACH STATEMENT EXECUTE FUNCTION casetrail.refuse_change();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON casetrail.checkpoints FOR EACH STATEMENT EXECUTE FUNCTION casetrail.refuse_change();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON casetrail.checkpoints FOR EACH STATEMENT EXECUTE FUNCTION casetrail.refuse_change();
CREATE TRIGGER forks_append_only BEFORE UPDATE OR DELETE ON casetrail.forks FOR EACH STATEMENT EXECUTE FUNCTION casetrail.refuse_change();
CREATE TRIGGER forks_no_truncate BEFORE TRUNCATE ON casetrail.forks FOR EACH STATEMENT EXECUTE FUNCTION casetrail.refuse_change();

-- The only ways in ---------------------------------------------------------------------------------

-- Takes the transaction-scoped locks of an ingest: its device, then the buckets its entities hash
-- to (1,024 buckets, so a bundle of any size takes at most 1,025 locks from the server's shared
-- lock table), always in that order and the buckets ascending, so ingests never deadlock. Two
-- ingests of one device, or of entities in one bucket, run one after the other; the caller reads
-- the device's log and the entities' events only after this returns.
CREATE FUNCTION casetrail.lock_for_ingest(device_id text, entity_guids jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	bucket integer;
BEGIN
	PERFORM pg_advisory_xact_lock(7301, hashtext(device_id));
	FOR bucket IN SELECT DISTINCT abs(hashtext(g) % 1024) AS b FROM jsonb_array_elements_text(entity_guids) AS g ORDER BY b LOOP
		PERFORM pg_advisory_xact_lock(7302, bucket);
	END LOOP;
END $$;

-- Stores one verified bundle: its device, its events (each once, whatever device carried it
-- before), the device's leaves and the checkpoint. `b` is what registry/ingest.ts builds from
-- verifyBundle's result. Refuses (and so rolls back the caller's transaction) a leaf that differs
-- from the one stored at the same index of the same device (fork-detected, CT002) and an event
-- whose guid is stored with other bytes (event-conflict, CT003). Returns the number of new events
-- and the entities they name: {"added": n, "entityGuids": [...]}, whose read model must be redone.
CREATE FUNCTION casetrail.ingest_bundle(b jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, casetrail, pg_temp AS $$
DECLARE
	device text := b ->> 'deviceId';
	clash record;
	added bigint;
	touched jsonb;
BEGIN
	INSERT INTO casetrail.devices AS d (device_id, public_jwk, format_version) VALUES (device, b -> 'publicJwk', coalesce((b ->> 'version')::smallint, 1))
		ON CONFLICT (device_id) DO UPDATE SET format_version = EXCLUDED.format_version WHERE d.format_version < EXCLUDED.format_version;

	-- The events are read from `b` itself in each statement, never through a table: a SECURITY DEFINER
	-- function must not name anything the caller can create first (a temp table of the same name,
	-- with a trigger of the caller's, would run that trigger with the owner's rights).
	SELECT min(l.leaf_index) AS leaf_index INTO clash
		FROM pg_catalog.jsonb_to_recordset(b -> 'events') AS n(i bigint, h text)
		JOIN casetrail.device_log l ON l.device_id = device AND l.leaf_index = n.i
		WHERE l.leaf_hash <> pg_catalog.decode(n.h, 'hex');
	IF clash.leaf_index IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'CT002', MESSAGE = format('fork-detected: device %s already has another event at log position %s', device, clash.leaf_index);
	END IF;
	SELECT n.g AS guid INTO clash
		FROM pg_catalog.jsonb_to_recordset(b -> 'events') AS n(g text, h text)
		JOIN casetrail.audit_events a ON a.guid = n.g COLLATE "C"
		WHERE a.leaf_hash <> pg_catalog.decode(n.h, 'hex') LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CT003', MESSAGE = format('event-conflict: event %s is stored with other contents', clash.guid);
	END IF;

	-- A concurrent ingest of the same event waits here for the other to commit, then skips it; if
	-- that copy had other bytes, the device_log foreign key below refuses this bundle.
	WITH inserted AS (
		INSERT INTO casetrail.audit_events (guid, entity_guid, type, data, metadata, context, user_id, occurred_at, canonical, leaf_hash, origin_device_id, origin_leaf_index)
			SELECT e.g, e.e, e.t, e.d, e.m, e.c, e.u, e.o, e.x, pg_catalog.decode(e.h, 'hex'), device, e.i
			FROM pg_catalog.jsonb_to_recordset(b -> 'events') AS e(i bigint, g text, e text, t text, d jsonb, m jsonb, c jsonb, u text, o timestamptz, x text, h text)
			ORDER BY e.i
			ON CONFLICT (guid) DO NOTHING
			RETURNING entity_guid
	)
	SELECT count(*), coalesce(jsonb_agg(DISTINCT entity_guid), '[]'::jsonb) INTO added, touched FROM inserted;
	INSERT INTO casetrail.device_log (device_id, leaf_index, leaf_hash, event_guid)
		SELECT device, e.i, pg_catalog.decode(e.h, 'hex'), e.g
		FROM pg_catalog.jsonb_to_recordset(b -> 'events') AS e(i bigint, g text, h text) ORDER BY e.i
		ON CONFLICT DO NOTHING;
	INSERT INTO casetrail.checkpoints (device_id, tree_size, root_hash, from_index, prefix, issued_at, jws)
		VALUES (device, (b ->> 'treeSize')::bigint, pg_catalog.decode(b ->> 'rootHash', 'hex'), (b ->> 'from')::bigint,
			ARRAY(SELECT pg_catalog.decode(p, 'hex') FROM pg_catalog.jsonb_array_elements_text(b -> 'prefix') WITH ORDINALITY AS q(p, n) ORDER BY n),
			(b ->> 'issuedAt')::timestamptz, b ->> 'checkpoint')
		ON CONFLICT DO NOTHING;
	RETURN jsonb_build_object('added', added, 'entityGuids', touched);
END $$;

-- Replaces the read model of the entities named in r.entityGuids with the rows in r (computed by
-- core's projection from all their stored events).
CREATE FUNCTION casetrail.store_read_model(r jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, casetrail, pg_temp AS $$
BEGIN
	-- = ANY(array) so the planner probes the primary keys, whatever it guesses of the list's length.
	DELETE FROM casetrail.entities WHERE guid = ANY (ARRAY(SELECT jsonb_array_elements_text(r -> 'entityGuids')));
	DELETE FROM casetrail.entity_versions WHERE entity_guid = ANY (ARRAY(SELECT jsonb_array_elements_text(r -> 'entityGuids')));
	DELETE FROM casetrail.audit_trail WHERE entity_guid = ANY (ARRAY(SELECT jsonb_array_elements_text(r -> 'entityGuids')));
	INSERT INTO casetrail.entities (guid, type, data, members, deleted, version, created_at, last_updated, case_worker, assignment_date, entity)
		SELECT x ->> 'guid', x ->> 'type', x -> 'data', x -> 'members', (x ->> 'deleted')::boolean, (x ->> 'version')::integer,
			(x ->> 'createdAt')::timestamptz, (x ->> 'lastUpdated')::timestamptz, x ->> 'caseWorker', x ->> 'assignmentDate', x
		FROM jsonb_array_elements(r -> 'entities') AS x;
	INSERT INTO casetrail.entity_versions (entity_guid, version, event_guid, valid_from, entity)
		SELECT v.e, v.v, v.g, v.t, v.x FROM jsonb_to_recordset(r -> 'versions') AS v(e text, v integer, g text, t timestamptz, x jsonb);
	INSERT INTO casetrail.audit_trail (entity_guid, seq, event_guid, timestamp, occurred_at, user_id, type, reason, applied, skip_reason, skip_message, changes)
		SELECT a.e, a.s, a.g, a.w, a.t, a.u, a.y, a.r, a.a, a.k, a.m, a.c
		FROM jsonb_to_recordset(r -> 'trail') AS a(e text, s integer, g text, w text, t timestamptz, u text, y text, r text, a boolean, k text, m text, c jsonb);
END $$;

-- Stores fork evidence. Runs in its own transaction after the refused bundle was rolled back.
CREATE FUNCTION casetrail.record_fork(f jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, casetrail, pg_temp AS $$
BEGIN
	INSERT INTO casetrail.forks (device_id, differs_at, kept_tree_size, kept_root_hash, kept_checkpoint, refused_tree_size, refused_root_hash, refused_checkpoint, reason)
		VALUES (f ->> 'deviceId', (f ->> 'differsAt')::bigint, (f ->> 'keptTreeSize')::bigint, decode(f ->> 'keptRootHash', 'hex'), f ->> 'keptCheckpoint',
			(f ->> 'refusedTreeSize')::bigint, decode(f ->> 'refusedRootHash', 'hex'), f ->> 'refusedCheckpoint', f ->> 'reason')
		ON CONFLICT ON CONSTRAINT forks_once DO NOTHING;
END $$;

-- Privileges ------------------------------------------------------------------------------------------

REVOKE ALL ON SCHEMA casetrail FROM PUBLIC;
GRANT USAGE ON SCHEMA casetrail TO casetrail_app, casetrail_reader;
REVOKE ALL ON ALL TABLES IN SCHEMA casetrail FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA casetrail TO casetrail_app, casetrail_reader;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA casetrail FROM PUBLIC;
GRANT EXECUTE ON FUNCTION casetrail.entities_as_of(timestamptz) TO casetrail_app, casetrail_reader;
GRANT EXECUTE ON FUNCTION casetrail.lock_for_ingest(text, jsonb), casetrail.ingest_bundle(jsonb), casetrail.store_read_model(jsonb), casetrail.record_fork(jsonb) TO casetrail_app;
