"""The SQL of ``fast``: each hot transition's statements, prepared once per database session.

Run ids are bigint, node and task ids varchar (like their columns), lists are arrays and event
lists JSON arrays, so one text serves every node whatever its number of children or events.
"""

from __future__ import annotations

VERSION = "v13"  # part of the statement names: bump when a statement below changes

# name -> (parameter types, body with $n parameters); table names are filled in by fast._prepare.
# Plans are generic (prepared once), so every node lookup is written to go through a (run_id,
# node_id) index whatever the statistics say (right after a run is created they claim "a node or
# two per run", and a plan scanning the whole run looks as cheap): node and task ids are varchar
# like their columns (a text parameter casts the column), lists go element by element (LATERAL
# ... LIMIT 1, which the planner keeps as a nested loop). Unsent nodes are looked up by
# ``run_id = $1 AND unsent`` alone (every node leaving "queued" is marked sent), which only the
# small partial index node_run_unsent serves: adding the status would let the plan scan all of
# the run's waiting nodes through node_run_active instead, for every node of a wide fan-out.
# Rows found by primary key test their status as ``status || ''``, which no index serves, so the
# plan cannot prefer node_run_status_queued (all running or queued nodes of every run). And every
# script runs with enable_seqscan off: a generic plan made while the table was small would
# otherwise keep scanning the whole table for each node once it is large.
STATEMENTS: dict[str, tuple[str, str]] = {
    "lock": ("bigint", "SELECT 1 FROM {run} WHERE id = $1 FOR UPDATE"),
    # $1 run, $2 task id, $3 now, $4 node, $5 max attempts, $6 worker
    "claim": ("bigint, varchar, timestamptz, varchar, integer, text", (
        "WITH c AS (UPDATE {node} SET status = 'running', attempt = attempt + 1, task_id = $2, "
        "started_at = $3, heartbeat_at = $3, finished_at = NULL, progress = '{{}}', "
        "unsent = false WHERE run_id = $1 AND node_id = $4 AND (status = 'queued' OR "
        "(status = 'running' AND task_id = $2 AND attempt < $5)) "
        "AND NOT EXISTS (SELECT 1 FROM {run} WHERE id = $1 AND cancel_requested_at IS NOT NULL) "
        "RETURNING id, attempt, force), "
        "s AS (UPDATE {run} SET last_seq = last_seq + 1 WHERE id = $1 "
        "AND EXISTS (SELECT 1 FROM c) RETURNING last_seq), "
        "e AS (INSERT INTO {event} (run_id, seq, type, node_id, payload, ts) "
        "SELECT $1, s.last_seq, 'node.started', $4, "
        "jsonb_build_object('attempt', c.attempt, 'worker', $6), $3 FROM c, s) "
        "SELECT c.id, c.attempt, c.force, s.last_seq FROM c, s")),
    "outputs": ("bigint, varchar[]", (
        "SELECT n.node_id, n.status, n.outputs FROM unnest($2) AS p (node_id) "
        "CROSS JOIN LATERAL (SELECT node_id, status, outputs FROM {node} "
        "WHERE run_id = $1 AND node_id = p.node_id LIMIT 1) AS n")),
    # $1 run, $2 node pk, $3 attempt, $4 status, $5 outputs, $6 cache key, $7 now,
    # $8 children (plan order), $9 their queues, $10 the node's own events [{type, node, payload}]
    "succeed": ("bigint, bigint, integer, varchar, jsonb, varchar, timestamptz, varchar[], "
                "varchar[], jsonb", (
        "WITH d AS (UPDATE {node} SET status = $4, outputs = $5, cache_key = $6, "
        "finished_at = $7, error = '', traceback = '' "
        "WHERE id = $2 AND status || '' = 'running' AND attempt = $3 RETURNING id), "
        "a AS (UPDATE {node} SET "
        "status = CASE WHEN remaining_parents = 1 AND status = 'pending' THEN 'queued' "
        "ELSE status END, "
        "ready_at = CASE WHEN remaining_parents = 1 AND status = 'pending' THEN $7 "
        "ELSE ready_at END, "
        "queued_at = CASE WHEN remaining_parents = 1 AND status = 'pending' THEN $7 "
        "ELSE queued_at END, "
        "remaining_parents = remaining_parents - 1 "
        "WHERE id = ANY (ARRAY(SELECT l.id FROM unnest($8) AS x (node_id) "
        "CROSS JOIN LATERAL (SELECT id FROM {node} WHERE run_id = $1 AND node_id = x.node_id "
        "LIMIT 1) AS l)) AND remaining_parents > 0 "
        "AND EXISTS (SELECT 1 FROM d) RETURNING node_id, status, remaining_parents), "
        "q AS (SELECT k.ord, k.node_id, k.queue FROM a "
        "JOIN unnest($8, $9) WITH ORDINALITY AS k (node_id, queue, ord) USING (node_id) "
        "WHERE a.status = 'queued' AND a.remaining_parents = 0), "
        "ev AS (SELECT f.ord, f.e ->> 'type' AS type, f.e ->> 'node' AS node_id, "
        "f.e -> 'payload' AS payload "
        "FROM jsonb_array_elements($10) WITH ORDINALITY AS f (e, ord) "
        "WHERE EXISTS (SELECT 1 FROM d) UNION ALL "
        "SELECT jsonb_array_length($10) + row_number() OVER (ORDER BY q.ord), 'node.queued', "
        "q.node_id, jsonb_build_object('queue', q.queue) FROM q), "
        "n AS (SELECT count(*) AS total FROM ev), "
        "s AS (UPDATE {run} SET last_seq = last_seq + (SELECT total FROM n) "
        "WHERE id = $1 AND EXISTS (SELECT 1 FROM d) RETURNING last_seq), "
        "i AS (INSERT INTO {event} (run_id, seq, type, node_id, payload, ts) "
        "SELECT $1, s.last_seq - n.total + ev.ord, ev.type, ev.node_id, ev.payload, $7 "
        "FROM s, n, ev) "
        "SELECT (SELECT count(*) FROM d), (SELECT last_seq FROM s), "
        "(SELECT coalesce(json_agg(q.node_id ORDER BY q.ord), '[]') FROM q), "
        "(SELECT total FROM n)")),
    # $1 run, $2 now: is any node of the run still to finish (the status list is the partial
    # index node_run_active's, so it is used)? And if none is, and nothing went wrong, end the
    # run as succeeded (else run_maybe_finish decides, in Python: cancelled, or failed with a
    # summary). CASE evaluates in order, so runs with nodes left stop at the index probe.
    "finish": ("bigint, timestamptz", (
        "WITH a AS (SELECT EXISTS (SELECT 1 FROM {node} WHERE run_id = $1 "
        "AND status IN ('pending', 'ready', 'queued', 'running')) AS active), "
        "f AS (UPDATE {run} SET status = 'succeeded', error = '', finished_at = $2, "
        "last_seq = last_seq + 1 WHERE id = $1 AND status IN ('queued', 'running') "
        "AND cancel_requested_at IS NULL AND CASE WHEN (SELECT active FROM a) THEN false "
        "ELSE NOT EXISTS (SELECT 1 FROM {node} WHERE run_id = $1 "
        "AND status NOT IN ('succeeded', 'cached')) END RETURNING last_seq), "
        "e AS (INSERT INTO {event} (run_id, seq, type, node_id, payload, ts) "
        "SELECT $1, f.last_seq, 'run.finished', '', '{{\"status\": \"succeeded\"}}', $2 FROM f) "
        "SELECT (SELECT active FROM a), (SELECT last_seq FROM f)")),
    # $1 run, $2 now (the succeed statement's), $3 the children (plan order), $4 the window:
    # children this success queued beyond the first $4 stay without a message ("unsent")
    "defer": ("bigint, timestamptz, varchar[], integer", (
        "WITH r AS (SELECT n.id FROM unnest($3) WITH ORDINALITY AS x (node_id, ord) "
        "CROSS JOIN LATERAL (SELECT id, status, queued_at FROM {node} "
        "WHERE run_id = $1 AND node_id = x.node_id LIMIT 1) AS n "
        "WHERE n.status = 'queued' AND n.queued_at = $2 ORDER BY x.ord OFFSET $4) "
        "UPDATE {node} SET unsent = true WHERE id IN (SELECT id FROM r) RETURNING node_id")),
    # $1 run, $2 task id, $3 now (the succeed statement's: children it queued have it as
    # queued_at), $4 children that may continue here (plan order), $5 worker, $6 the queues (as
    # NodeRun.queue) this worker serves. Claim, with its node.started, the first of: the children
    # that the success just queued with a message to come; else the run's oldest unsent node on
    # those queues; else its oldest queued node there whose message no worker has taken yet
    # (stolen: this process is free now, the message may wait behind a busy one; when it
    # arrives, its claim finds the node taken). COALESCE evaluates the lookups in order and
    # stops at the first found, so a run with children to continue never looks further. Every
    # writer of a run holds its row lock, so no node lock is needed.
    "claim_next": ("bigint, varchar, timestamptz, varchar[], text, varchar[]", (
        "WITH p AS (SELECT coalesce("
        "(SELECT n.id FROM unnest($4) WITH ORDINALITY AS x (node_id, ord) "
        "CROSS JOIN LATERAL (SELECT id, status, queued_at, unsent FROM {node} "
        "WHERE run_id = $1 AND node_id = x.node_id LIMIT 1) AS n "
        "WHERE n.status = 'queued' AND n.queued_at = $3 AND NOT n.unsent ORDER BY x.ord LIMIT 1), "
        "(SELECT id FROM {node} WHERE run_id = $1 AND unsent AND queue = ANY ($6) "
        "ORDER BY id LIMIT 1), "
        "(SELECT id FROM {node} WHERE run_id = $1 AND status = 'queued' AND queue = ANY ($6) "
        "ORDER BY id LIMIT 1)) AS id), "
        "c AS (UPDATE {node} SET status = 'running', attempt = attempt + 1, task_id = $2, "
        "started_at = $3, heartbeat_at = $3, finished_at = NULL, progress = '{{}}', "
        "unsent = false WHERE id = (SELECT id FROM p) AND status || '' = 'queued' "
        "AND NOT EXISTS (SELECT 1 FROM {run} WHERE id = $1 AND cancel_requested_at IS NOT NULL) "
        "RETURNING id, node_id, attempt, force), "
        "s AS (UPDATE {run} SET last_seq = last_seq + 1 WHERE id = $1 "
        "AND EXISTS (SELECT 1 FROM c) RETURNING last_seq), "
        "e AS (INSERT INTO {event} (run_id, seq, type, node_id, payload, ts) "
        "SELECT $1, s.last_seq, 'node.started', c.node_id, "
        "jsonb_build_object('attempt', c.attempt, 'worker', $5), $3 FROM c, s) "
        "SELECT c.id, c.node_id, c.attempt, c.force, s.last_seq FROM c, s")),
    # $1 run: a task that does not continue hands one unsent node of its run to the broker
    # (it sends the message), so the run keeps as many messages in flight as it had
    "hand_over": ("bigint", (
        "UPDATE {node} SET unsent = false WHERE id = (SELECT id FROM {node} WHERE run_id = $1 "
        "AND unsent ORDER BY id LIMIT 1) AND status || '' = 'queued' RETURNING node_id")),
    # $1 run, $2 now, $3 cache hits (node pks), $4 their outputs (JSON array, same order), $5
    # their cache keys, $6 the frontier (pks), $7/$8 nodes with cached parents and their new
    # parent counts, $9 events, $10 frontier nodes left without a message (beyond the window):
    # run_execution_start's writes, if the run is still queued
    "start": ("bigint, timestamptz, bigint[], jsonb, varchar[], bigint[], bigint[], integer[], "
              "jsonb, bigint[]", (
        "WITH r AS (UPDATE {run} SET status = 'running', started_at = $2, "
        "last_seq = last_seq + jsonb_array_length($9) WHERE id = $1 AND status = 'queued' "
        "RETURNING last_seq), "
        "c AS (UPDATE {node} AS n SET status = 'cached', outputs = $4 -> (x.ord::int - 1), "
        "cache_key = x.cache_key, remaining_parents = 0, finished_at = $2 "
        "FROM unnest($3, $5) WITH ORDINALITY AS x (pk, cache_key, ord) "
        "WHERE n.id = x.pk AND n.status || '' IN ('pending', 'ready') "
        "AND EXISTS (SELECT 1 FROM r)), "
        "q AS (UPDATE {node} SET status = 'queued', remaining_parents = 0, ready_at = $2, "
        "queued_at = $2, unsent = (id = ANY($10)) WHERE id = ANY($6) "
        "AND status || '' IN ('pending', 'ready') "
        "AND EXISTS (SELECT 1 FROM r)), "
        "m AS (UPDATE {node} AS n SET remaining_parents = x.remaining "
        "FROM unnest($7, $8) AS x (pk, remaining) "
        "WHERE n.id = x.pk AND n.status || '' IN ('pending', 'ready') "
        "AND EXISTS (SELECT 1 FROM r)), "
        "i AS (INSERT INTO {event} (run_id, seq, type, node_id, payload, ts) "
        "SELECT $1, r.last_seq - jsonb_array_length($9) + f.ord, f.e ->> 'type', "
        "f.e ->> 'node', f.e -> 'payload', $2 "
        "FROM r, jsonb_array_elements($9) WITH ORDINALITY AS f (e, ord)) "
        "SELECT last_seq FROM r")),
    # $1 run, $2 events [{type, node, payload}], $3 now: append events (run_events_append)
    "events": ("bigint, jsonb, timestamptz", (
        "WITH s AS (UPDATE {run} SET last_seq = last_seq + jsonb_array_length($2) WHERE id = $1 "
        "RETURNING last_seq), "
        "i AS (INSERT INTO {event} (run_id, seq, type, node_id, payload, ts) "
        "SELECT $1, s.last_seq - jsonb_array_length($2) + f.ord, f.e ->> 'type', "
        "f.e ->> 'node', f.e -> 'payload', $3 "
        "FROM s, jsonb_array_elements($2) WITH ORDINALITY AS f (e, ord)) "
        "SELECT last_seq FROM s")),
    # $1 node pk, $2 progress, $3 now
    "progress": ("bigint, jsonb, timestamptz", (
        "UPDATE {node} SET progress = $2, heartbeat_at = $3 "
        "WHERE id = $1 AND status || '' = 'running'")),
}
