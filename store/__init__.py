"""Database access: the only package that opens DuckDB. Queries live in sql/*.sql, named for what they return."""
