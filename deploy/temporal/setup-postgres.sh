#!/bin/sh
# One-shot: creates (if missing) and upgrades Temporal's two databases on the
# shared PostgreSQL. Idempotent: `create` fails harmlessly when the database
# exists, setup-schema -v 0.0 is a no-op on an initialised one, update-schema
# applies only what is new.
set -eu
ARGS="--plugin postgres12 --ep ${POSTGRES_SEEDS} -p ${DB_PORT} -u ${POSTGRES_USER}"  # password from $SQL_PASSWORD
for db in temporal temporal_visibility; do
  case $db in
    temporal) dir=/etc/temporal/schema/postgresql/v12/temporal/versioned ;;
    *) dir=/etc/temporal/schema/postgresql/v12/visibility/versioned ;;
  esac
  temporal-sql-tool $ARGS --db "$db" create || true
  temporal-sql-tool $ARGS --db "$db" setup-schema -v 0.0
  temporal-sql-tool $ARGS --db "$db" update-schema -d "$dir"
done
echo "temporal schema ready"
