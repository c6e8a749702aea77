-- Runs once, when the postgres volume is created: one database per service, owned by the tuiju role
-- (POSTGRES_USER). The services' migrations (python -m shared.setup) create the tables.
CREATE DATABASE tuiju_intake OWNER tuiju;
CREATE DATABASE tuiju_review OWNER tuiju;
CREATE DATABASE tuiju_notify OWNER tuiju;
CREATE DATABASE tuiju_archive OWNER tuiju;
CREATE DATABASE tuiju_keycloak OWNER tuiju;  -- Keycloak's own (staff sign-in)
