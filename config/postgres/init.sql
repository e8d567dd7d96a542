-- docker-compose: one database for Synapse (C collation, as Synapse requires), one for the appservice.
CREATE USER synapse WITH PASSWORD 'synapse';
CREATE DATABASE synapse OWNER synapse ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
CREATE USER chattigo WITH PASSWORD 'chattigo';
CREATE DATABASE chattigo OWNER chattigo ENCODING 'UTF8';
