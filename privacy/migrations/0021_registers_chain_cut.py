"""The other hash-chained registers may be cut too, when their term has ended.

``privacy_chain_cut`` (0019) accepted anchors of the consent ledger only. The retention run now
also cuts withdrawal letters and their answers, disclosures and their subjects, blocking
requests' steps and the destruction log (``privacy.services.register_cut``). The function keeps
its signature and its checks (a linked run, ending before the table's newest row, with the
anchor's hashes) for every table in its allow-list, and checks each row's term by the table's
own rule, never shorter than ``p_registers_years`` from the moment its matter closed:

* a withdrawal letter: received, and its answers (if any left) answered, that long ago;
* an answer: given that long ago, to a letter received that long ago;
* a disclosure: made that long ago, with no subject row left; a subject: of such a disclosure;
* a blocking step: of a request rejected or lifted (or replaced by a correction) whose last
  step was that long ago;
* a destruction-log row: written that long ago.

The anchors themselves are never cut. The append-only trigger of these tables lets through the
deletes the function makes, and nothing else.
"""

from importlib import import_module

from django.db import migrations

CUT_FUNCTION = r"""
CREATE OR REPLACE FUNCTION privacy_chain_cut(
    p_cut bigint, p_registers_years integer, p_cookie_days integer
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    cut privacy_chaincut%ROWTYPE;
    run_rows integer;
    unlinked integer;
    unexpired integer;
    deleted integer;
    registers_end timestamptz;
    cookies_end timestamptz;
    term text;
    fits boolean;
BEGIN
    IF p_registers_years < 3 OR p_cookie_days < 365 THEN
        RAISE EXCEPTION 'privacy: a cut needs terms of at least 3 years and 365 days'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO cut FROM privacy_chaincut WHERE id = p_cut;
    -- $1 registers_end, $2 cookies_end; the row is r.
    term := CASE cut.chain_table
        WHEN 'privacy_consentrecord' THEN $t$
            (r.purpose LIKE 'cookies\_%' AND r.created_at < $2)
            OR (r.purpose NOT LIKE 'cookies\_%' AND r.action IN ('withdrawn', 'ended')
                AND r.created_at < $1)
            OR (r.purpose NOT LIKE 'cookies\_%' AND EXISTS (
                SELECT 1 FROM privacy_consentrecord later
                WHERE later.purpose = r.purpose
                  AND (later.created_at, later.id) > (r.created_at, r.id)
                  AND later.created_at < $1
                  AND ((r.user_id IS NOT NULL AND later.user_id = r.user_id)
                       OR (r.email <> '' AND later.email = r.email)
                       OR (r.phone <> '' AND later.phone = r.phone))))
        $t$
        WHEN 'privacy_consentwithdrawal' THEN $t$
            r.created_at < $1 AND NOT EXISTS (
                SELECT 1 FROM privacy_withdrawalanswer a
                WHERE a.withdrawal_id = r.id AND a.answered_at >= $1)
        $t$
        WHEN 'privacy_withdrawalanswer' THEN $t$
            r.answered_at < $1 AND EXISTS (
                SELECT 1 FROM privacy_consentwithdrawal w
                WHERE w.id = r.withdrawal_id AND w.created_at < $1)
        $t$
        WHEN 'privacy_disclosure' THEN $t$
            r.created_at < $1 AND NOT EXISTS (
                SELECT 1 FROM privacy_disclosuresubject s WHERE s.disclosure_id = r.id)
        $t$
        WHEN 'privacy_disclosuresubject' THEN $t$
            EXISTS (SELECT 1 FROM privacy_disclosure d
                    WHERE d.id = r.disclosure_id AND d.created_at < $1)
        $t$
        WHEN 'privacy_blockingtransition' THEN $t$
            EXISTS (SELECT 1 FROM privacy_blockingrequest q
                    WHERE q.id = r.request_id
                      AND q.status IN ('rejected', 'unblocked', 'corrected'))
            AND NOT EXISTS (SELECT 1 FROM privacy_blockingtransition t
                            WHERE t.request_id = r.request_id AND t.at >= $1)
        $t$
        WHEN 'privacy_destructionrecord' THEN $t$ r.created_at < $1 $t$
    END;
    IF cut.id IS NULL OR term IS NULL THEN
        RAISE EXCEPTION 'privacy: no anchor % for a table that may be cut', p_cut
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    registers_end := now() - make_interval(years => p_registers_years);
    cookies_end := now() - make_interval(days => p_cookie_days);
    EXECUTE format(
        'WITH run AS (SELECT chain_previous, lag(chain_hash) OVER (ORDER BY id) AS prior '
        'FROM %I WHERE id BETWEEN $1 AND $2) '
        'SELECT count(*), count(*) FILTER (WHERE chain_previous <> coalesce(prior, $3)) FROM run',
        cut.chain_table)
    INTO run_rows, unlinked USING cut.first_id, cut.last_id, cut.before_hash;
    IF run_rows <> cut.rows OR unlinked <> 0 THEN
        RAISE EXCEPTION 'privacy: anchor % does not name a linked run before the newest row', p_cut
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format(
        'SELECT count(*) FILTER (WHERE id = $1 AND chain_hash = $2) = 1 '
        'AND count(*) FILTER (WHERE id > $1) > 0 FROM %I WHERE id >= $1',
        cut.chain_table)
    INTO fits USING cut.last_id, cut.last_hash;
    IF NOT fits THEN
        RAISE EXCEPTION 'privacy: anchor % does not name a linked run before the newest row', p_cut
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format(
        'SELECT count(*) FROM %I r WHERE r.id BETWEEN $3 AND $4 AND NOT (%s)',
        cut.chain_table, term)
    INTO unexpired USING registers_end, cookies_end, cut.first_id, cut.last_id;
    IF unexpired <> 0 THEN
        RAISE EXCEPTION 'privacy: anchor % names % rows whose term has not ended', p_cut, unexpired
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('privacy.chain_cut', 'on', true);
    EXECUTE format('DELETE FROM %I WHERE id BETWEEN $1 AND $2', cut.chain_table)
        USING cut.first_id, cut.last_id;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('privacy.chain_cut', '', true);
    RETURN deleted;
END;
$$;
"""

# 0004's trigger function, plus: a DELETE made by ``privacy_chain_cut`` passes, except on the
# anchors' own table.
REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION privacy_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME <> 'privacy_chaincut'
       AND current_setting('privacy.chain_cut', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'privacy: rows of % are append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_CHANGE_0004 = """
CREATE OR REPLACE FUNCTION privacy_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'privacy: rows of % are append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def allow_register_cuts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REFUSE_CHANGE, params=None)  # no placeholders: keep the %
    schema_editor.execute(CUT_FUNCTION, params=None)


def consent_ledger_cuts_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REFUSE_CHANGE_0004, params=None)
    consent_only = import_module("privacy.migrations.0019_ledger_chain_cut").CUT_FUNCTION
    schema_editor.execute(consent_only, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0020_consent_ended_by_retention")]

    operations = [migrations.RunPython(allow_register_cuts, consent_ledger_cuts_only)]
