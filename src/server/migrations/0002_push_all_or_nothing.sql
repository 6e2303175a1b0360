-- The guard of a push's fast path (src/server/push.ts): a batch whose events are all new is stored in ONE
-- autocommit statement, without the station's advisory lock and the read of what is already held. The
-- statement ends by calling this function with "every event and every document went in"; when something was
-- already there (a retry, a seq or document conflict, a race with another push) it raises, the whole
-- statement is undone, and the server takes the careful path under the lock, which answers event by event.
CREATE FUNCTION push_require_all_new(all_new boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT all_new THEN
    RAISE EXCEPTION 'a pushed event or document is already stored' USING ERRCODE = 'CT409';
  END IF;
  RETURN true;
END
$$;
